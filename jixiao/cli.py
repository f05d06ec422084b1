"""The ``jixiao`` command: each verb parses flags, calls ``jixiao.api``, prints.

Results go to stdout, progress and errors to stderr. Exit codes: 0 all good,
1 some files failed (or a command failed), 2 usage error.
"""

from __future__ import annotations

import json
import logging
import sys

import click

from extract.model import GRID_SOURCES
from jixiao import api
from jixiao.pipeline import FileResult
from load.errors import LoadError

DB_OPTION = click.option("--db", "db", default=api.DEFAULT_DB, show_default=True,
                         envvar="JIXIAO_DB", help="SQLAlchemy URL (sqlite:///… or postgresql+psycopg://…).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="More log output on stderr.")
def main(verbose: int) -> None:
    """Turn 部门整体预算绩效目标申报表 PDFs into a queryable database."""
    logging.basicConfig(level=logging.WARNING - 10 * min(verbose, 2),
                        format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("pdfminer", "camelot", "jieba"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.WARNING - 10 * (verbose - 1)))


def _line(result: FileResult) -> str:
    if result.status == "failed":
        return f"{result.path}: {result.reason}"
    what = f"{result.department} {result.year}" if result.department else result.reason
    extra = f", {result.issues} issue(s)" if result.issues else ""
    return f"{result.path}: {result.status} ({what}, {result.pages} pages{extra})"


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@DB_OPTION
@click.option("--force", is_flag=True, help="Re-extract files already loaded.")
@click.option("--source", type=click.Choice(list(GRID_SOURCES)), default="pdfium", show_default=True,
              help="Grid source: PDFium (fast), pdfplumber (pdfminer) or camelot lattice; "
                   "all give the same grids, the last two are slower second opinions.")
@click.option("-q", "--quiet", is_flag=True, help="Only the summary and failures.")
def ingest(paths: tuple[str, ...], db: str, force: bool, source: str, quiet: bool) -> None:
    """Load PDFs (files, or folders searched recursively) into the database.

    Example: jixiao ingest forms/ --db sqlite:///jixiao.db
    """

    def on_file(result: FileResult) -> None:
        if not quiet or result.status == "failed":
            click.echo(_line(result), err=True)

    report = _guard(lambda: api.ingest(paths, db=db, source=source, force=force, on_file=on_file))
    click.echo(report.summary(), err=True)
    if report.failed:
        click.echo("failed:", err=True)
        for result in report.failed:
            click.echo(f"  {result.path}: {result.reason}", err=True)
        sys.exit(1)


@main.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(list(api.FORMATS)), default="json", show_default=True)
@click.option("--out", type=click.Path(), help="File (json, xlsx) or folder (csv); json defaults to stdout.")
@click.option("--year", type=int, help="Only this year.")
@click.option("--department", help="Only this department (部门名称).")
def export(db: str, fmt: str, out: str | None, year: int | None, department: str | None) -> None:
    """Export the current declarations: json (the shared schema), csv (a folder of
    declarations.csv, indicators.csv, budget.csv) or xlsx (one sheet per table).

    Example: jixiao export --format json --out declarations.json
    """
    result = _guard(lambda: api.export(db, fmt, out, year=year, department=department))
    if fmt == "json" and out is None:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(f"wrote {out}", err=True)


@main.command()
@click.argument("sql")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
def query(sql: str, db: str, fmt: str) -> None:
    """Run one read-only SQL statement and print the rows.

    Example: jixiao query "SELECT department, year FROM declaration_summary"
    """
    frame = _guard(lambda: api.query(sql, db=db))
    if fmt == "csv":
        click.echo(frame.to_csv(index=False), nl=False)
    elif fmt == "json":
        click.echo(frame.to_json(orient="records", force_ascii=False))
    elif frame.empty:
        click.echo("(no rows)")
    else:
        click.echo(frame.to_string(index=False))


def _guard(call):  # type: ignore[no-untyped-def]
    """Named errors become one line on stderr and exit status 1."""
    try:
        return call()
    except (LoadError, ValueError, OSError) as exc:
        raise click.ClickException(str(exc)) from exc


if __name__ == "__main__":
    main()
