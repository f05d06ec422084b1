"""The ``jixiao`` command: each verb parses flags, calls ``jixiao.api``, prints.

Results go to stdout; progress, per-file lines and errors to stderr. Exit codes:
0 all good, 1 some files failed (or the command failed), 2 usage error.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from typing import IO, Any, TypeVar

import click
import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

from extract.model import GRID_SOURCES, ExtractError
from jixiao import api
from jixiao.cluster import ClusterError
from jixiao.pipeline import FileResult, default_workers
from load.errors import LoadError
from normalize.forms import page_ranges

T = TypeVar("T")

db_option = click.option(
    "--db", "db", default=api.DEFAULT_DB, show_default=True, envvar="JIXIAO_DB",
    help="SQLAlchemy URL: sqlite:///file.db or postgresql+psycopg://user@host/dbname.")


def output_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--format for verbs that print a table."""
    return click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]),
                        default="table", show_default=True,
                        help="table for people, csv or json for programs.")(command)


def print_frame(frame: pd.DataFrame, fmt: str) -> None:
    if fmt == "table":
        # blanks print blank, not as NaN/None/NaT
        frame = frame.astype(object).where(frame.notna(), "")
    if fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    elif fmt == "json":
        click.echo(frame.to_json(orient="records", force_ascii=False, date_format="iso",
                                 default_handler=str))
    elif frame.empty:
        click.echo("(no rows)")
    else:
        click.echo(frame.to_string(index=False))


def guard(call: Callable[[], T]) -> T:
    """Named errors become one line on stderr and exit status 1."""
    try:
        return call()
    except (LoadError, ExtractError, ClusterError, ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    except SQLAlchemyError as exc:  # e.g. a query naming a column that does not exist
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise click.ClickException(f"database error: {detail}") from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output on stderr.")
def main(verbose: int) -> None:
    """Turn 部门整体预算绩效目标申报表 PDFs into a queryable database."""
    logging.basicConfig(level=logging.WARNING - 10 * min(verbose, 2),
                        format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("pdfminer", "camelot", "jieba"):
        logging.getLogger(noisy).setLevel(logging.WARNING if verbose < 2 else logging.DEBUG)
    # a cluster's workers coming and going are told as ingest's own one-line events; Dask
    # sets its loggers' levels from its config when first imported (here and in the
    # local workers it starts), so the level goes there, before it is imported
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "critical" if not verbose else "info")


def file_line(result: FileResult) -> str:
    """One line per file; a file of several forms, or of a form among other pages, says
    which pages hold what, so no form and no page goes unmentioned."""
    if result.status == "failed":
        return f"{result.path}: {result.reason}"
    extra = f", {result.issues} issue(s)" if result.issues else ""
    pages = f", {result.pages} pages" if result.pages else ""
    whole = len(result.forms) == 1 and not result.other_pages
    if not result.forms or whole:
        what = f"{result.department} {result.year}" if result.department else result.reason
        return f"{result.path}: {result.status} ({what}{pages}{extra})"
    count = "1 declaration" if len(result.forms) == 1 else f"{len(result.forms)} declarations"
    each = "; ".join(f"pages {page_ranges(range(f.first_page, f.last_page + 1))} "
                     f"{f.department} {f.year}" + ("" if f.status == result.status else f" {f.status}")
                     for f in result.forms)
    other = ""
    if result.other_pages:
        runs = page_ranges(result.other_pages)
        other = f"; {'page' if len(result.other_pages) == 1 else 'pages'} {runs} not part of a form"
    return f"{result.path}: {result.status} ({count}: {each}{other}{pages}{extra})"


class Progress:
    """A bar on a terminal (files, pages, pages/s, ETA); plain lines otherwise."""

    def __init__(self, stream: IO[str], quiet: bool) -> None:
        self.stream, self.quiet = stream, quiet
        self.bar: Any = None
        self.pages = 0

    def start(self, total: int) -> None:
        if not self.quiet and self.stream.isatty():
            from tqdm import tqdm

            tqdm.monitor_interval = 0  # no monitor thread: workers are forked
            self.bar = tqdm(total=total, unit="file", file=self.stream, dynamic_ncols=True)

    def __call__(self, result: FileResult) -> None:
        self.pages += result.pages
        line = file_line(result)
        if self.bar is not None:
            rate = self.pages / max(self.bar.format_dict["elapsed"], 1e-9)
            self.bar.set_postfix_str(f"{self.pages} pages, {rate:.1f} pages/s", refresh=False)
            if result.status == "failed":
                self.bar.write(line, file=self.stream)
            self.bar.update(1)
        elif not self.quiet:  # quiet: failures are listed once, at the end
            click.echo(line, file=self.stream)

    def event(self, message: str) -> None:
        """A cluster's news (a worker joined, lost, slow, refused): always said."""
        if self.bar is not None:
            self.bar.write(message, file=self.stream)
        else:
            click.echo(message, file=self.stream)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@click.option("--force", is_flag=True, help="Re-read files already loaded (e.g. after an upgrade).")
@click.option("--workers", type=click.IntRange(min=1),
              help=f"Processes reading files here; the database is written by one "
                   f"[default: {default_workers()}, one per core].")
@click.option("--cluster", metavar="ADDRESS",
              help="Read on a Dask cluster: its scheduler (tcp://host:8786), or local / "
                   "local:N for N worker processes on this machine. Files travel to the "
                   "workers; this process writes the database.")
@click.option("--source", type=click.Choice(list(GRID_SOURCES)), default="pdfium", show_default=True,
              help="Grid source: PDFium (fast), pdfplumber (pdfminer) or camelot lattice; "
                   "all give the same grids, the last two are slower second opinions.")
@click.option("--report", type=click.File("w", encoding="utf-8", lazy=False),
              help="Write one JSON line per file (status, reason, pages, seconds, issues).")
@click.option("-q", "--quiet", is_flag=True, help="Only failures and the summary.")
def ingest(paths: tuple[str, ...], db: str, force: bool, workers: int | None,
           cluster: str | None, source: str, report: IO[str] | None, quiet: bool) -> None:
    """Load PDFs (files, or folders searched recursively) into the database.

    A file already loaded is skipped; a new file for a department and year
    already loaded supersedes it. Exit status 1 when any file failed.

    Example: jixiao ingest forms/ --db sqlite:///jixiao.db
    """
    if workers and cluster:
        raise click.UsageError("--workers and --cluster: choose one (a cluster's workers "
                               "are started with its own `dask worker` command)")
    progress = Progress(sys.stderr, quiet)

    def on_file(result: FileResult) -> None:
        progress(result)
        if report is not None:
            report.write(json.dumps(result.as_record(), ensure_ascii=False) + "\n")
            report.flush()

    try:
        outcome = guard(lambda: api.ingest(paths, db=db, source=source, force=force,
                                           workers=workers or default_workers(),
                                           cluster=cluster, on_file=on_file,
                                           on_start=progress.start, on_event=progress.event))
    finally:
        progress.close()
    click.echo(outcome.summary(), err=True)
    if outcome.failed:
        click.echo("failed:", err=True)
        for result in outcome.failed:
            click.echo(f"  {result.path}: {result.reason}", err=True)
        sys.exit(1)


@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(list(api.FORMATS)), default="json", show_default=True)
@click.option("--out", type=click.Path(), help="File (json, xlsx) or folder (csv); json defaults to stdout.")
@click.option("--year", type=int, help="Only this year.")
@click.option("--department", help="Only this department (部门名称).")
def export(db: str, fmt: str, out: str | None, year: int | None, department: str | None) -> None:
    """Export the current declarations: json (the shared schema), csv (a folder with
    one file per table: declarations, prior_year_results, work_tasks, budget,
    indicators, issues) or xlsx (the same tables as sheets).

    Example: jixiao export --format json --out declarations.json
    """
    result = guard(lambda: api.export(db, fmt, out, year=year, department=department))
    if fmt == "json" and out is None:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(f"wrote {out}", err=True)


@main.command()
@click.argument("sql")
@db_option
@output_option
def query(sql: str, db: str, fmt: str) -> None:
    """Run one read-only SQL statement and print the rows.

    Example: jixiao query "SELECT department, year FROM declaration_summary"
    """
    print_frame(guard(lambda: api.query(sql, db=db)), fmt)


@main.command()
@click.argument("department", required=False)
@click.argument("year", required=False, type=int)
@db_option
@output_option
def history(department: str | None, year: int | None, db: str, fmt: str) -> None:
    """List every version of each declaration: the current one and those it superseded.

    Example: jixiao history 盐城市住房公积金管理中心 2021
    """
    print_frame(guard(lambda: api.history(db, department=department, year=year)), fmt)


@main.command()
@db_option
@click.option("--year", type=int, help="Only this year.")
@click.option("--department", help="Only this department (部门名称).")
@output_option
def check(db: str, year: int | None, department: str | None, fmt: str) -> None:
    """List the current declarations that have issues, grouped by issue code
    (budget_total_mismatch, period_order, value_unreadable, section_missing, …),
    each with the field it points at (a JSON Pointer into the export, e.g.
    /budget/7/annual).

    Example: jixiao check --db sqlite:///jixiao.db
    """
    frame = guard(lambda: api.check(db, year=year, department=department))
    if fmt != "table" or frame.empty:
        print_frame(frame, fmt)
        if frame.empty:
            click.echo("no issues", err=True)
        return
    for code, group in frame.groupby("code", sort=True):
        click.echo(f"{code} ({len(group)})")
        for row in group.itertuples():
            page = f" p.{int(row.page)}" if pd.notna(row.page) else ""
            field = f" {row.field}" if pd.notna(row.field) else ""
            click.echo(f"  {row.department} {row.year} {row.file}{page}{field}: {row.message}")


@main.command()
@click.argument("doc")
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--out", type=click.Path(), required=True, help="PNG file to write.")
@click.option("--dpi", type=click.IntRange(min=36, max=600), default=110, show_default=True)
@db_option
def show(doc: str, page: int, out: str, dpi: int, db: str) -> None:
    """Render a page of a stored document with every cell read from it outlined
    and labelled by field (blue: text layer, orange: OCR, red: low confidence or
    pointed at by an issue, labelled with its code).
    DOC is a document id, sha256 (or its first 8+ characters), file name or path.

    Example: jixiao show yancheng_hpf_2021.pdf --page 4 --out page4.png
    """
    target = guard(lambda: api.show(doc, page, out, db=db, dpi=dpi))
    click.echo(f"wrote {target}", err=True)


if __name__ == "__main__":
    main()
