"""The Python API: one function per CLI verb, same names and parameters.

    >>> import jixiao
    >>> report = jixiao.ingest(["samples/"], db="sqlite:///jixiao.db")
    >>> db = jixiao.connect("sqlite:///jixiao.db")
    >>> db.indicators(year=2021).head()
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy.engine import Engine, make_url

from extract.draw import COLORS, Box, draw_boxes, render_page
from extract.model import ExtractSettings
from extract.pdf import sha256_of
from jixiao.pipeline import FileCallback, IngestReport
from jixiao.pipeline import ingest as run_ingest
from load import export as exporter
from load import query as q
from load.history import DocumentNotFound, find_document, history_frame
from load.store import open_database
from normalize.checks import LOW_CONFIDENCE

DEFAULT_DB = "sqlite:///jixiao.db"
FORMATS = ("json", "csv", "xlsx")


def open_existing(db: str) -> Engine:
    """The database a reading verb asks about, which must already exist: a
    mistyped SQLite path would otherwise answer from a new, empty database."""
    url = make_url(db)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        path = Path(url.database).expanduser()
        if not path.is_file():
            raise ValueError(
                f"no database at {path.resolve()} (load one with jixiao ingest; note "
                "sqlite:///name.db is relative to this folder, sqlite:////abs/path.db absolute)")
    return open_database(db)


class Database:
    """A jixiao database: DataFrames of the current version of each declaration."""

    def __init__(self, url: str = DEFAULT_DB) -> None:
        self.url = url
        self.engine: Engine = open_existing(url)

    def declarations(self, year: int | None = None, department: str | None = None) -> pd.DataFrame:
        return q.declarations_frame(self.engine, year=year, department=department)

    def indicators(self, year: int | None = None, department: str | None = None) -> pd.DataFrame:
        return q.indicators_frame(self.engine, year=year, department=department)

    def budget(self, year: int | None = None, department: str | None = None) -> pd.DataFrame:
        return q.budget_frame(self.engine, year=year, department=department)

    def issues(self, year: int | None = None, department: str | None = None) -> pd.DataFrame:
        return q.issues_frame(self.engine, year=year, department=department)

    def query(self, sql: str) -> pd.DataFrame:
        return q.run_sql(self.engine, sql)

    def close(self) -> None:
        self.engine.dispose()


def connect(url: str = DEFAULT_DB) -> Database:
    return Database(url)


def ingest(paths: Iterable[str | Path], db: str = DEFAULT_DB, *, source: str = "pdfium",
           force: bool = False, workers: int | None = 1, cluster: str | None = None,
           on_file: FileCallback | None = None,
           on_start: Callable[[int], None] | None = None,
           on_event: Callable[[str], None] | None = None,
           settings: ExtractSettings | None = None) -> IngestReport:
    """Load every PDF named or found below the folders named. ``workers``: reading
    processes (None: one per core); the database is written by this process.
    ``cluster``: read on a Dask cluster instead, given its scheduler's address
    (``tcp://host:8786``) or ``local``/``local:N`` for one on this machine;
    ``on_event`` hears of its workers (joined, lost, slow, refused).
    ``settings``: every knob of the extract stage (``source`` is a shortcut for the
    one most often changed; given both, ``settings`` wins)."""
    engine = open_database(db)
    try:
        return run_ingest(engine, paths, settings or ExtractSettings(source=source), force=force,
                          workers=workers, cluster=cluster, on_file=on_file,
                          on_start=on_start, on_event=on_event)
    finally:
        engine.dispose()


def export(db: str = DEFAULT_DB, fmt: str = "json", out: str | Path | None = None, *,
           year: int | None = None, department: str | None = None) -> list[dict[str, Any]] | Path:
    """json: a list of schema records (written to ``out`` when given); csv: a folder of
    tables; xlsx: one workbook. Returns the records or the path written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    engine = open_existing(db)
    try:
        if fmt == "json":
            records = exporter.export_declarations(engine, year=year, department=department)
            if out is not None:
                exporter.write_json(records, out)
            return records
        if out is None:
            raise ValueError(f"--format {fmt} needs --out")
        if fmt == "csv":
            exporter.write_csv(engine, out, year=year, department=department)
        else:
            exporter.write_xlsx(engine, out, year=year, department=department)
        return Path(out)
    finally:
        engine.dispose()


def history(db: str = DEFAULT_DB, department: str | None = None,
            year: int | None = None) -> pd.DataFrame:
    """Every version of the declarations asked for, current and superseded."""
    engine = open_existing(db)
    try:
        return history_frame(engine, department=department, year=year)
    finally:
        engine.dispose()


def check(db: str = DEFAULT_DB, year: int | None = None,
          department: str | None = None) -> pd.DataFrame:
    """The issues of current declarations, one row each, grouped by code."""
    engine = open_existing(db)
    try:
        frame = q.issues_frame(engine, year=year, department=department)
    finally:
        engine.dispose()
    return frame.sort_values(["code", "department", "year"], kind="stable").reset_index(drop=True)


def show(doc: str, page: int, out: str | Path, db: str = DEFAULT_DB, dpi: int = 110) -> Path:
    """Render page ``page`` of a stored document with every cell read from it
    outlined and labelled (blue: text layer, orange: OCR, red: low confidence, or
    pointed at by an issue, whose code is added to the label)."""
    engine = open_existing(db)
    try:
        # a file at hand is found by its content, however its path is spelled; one
        # changed since it was loaded, by its name or path as before
        given = Path(doc)
        try:
            stored = find_document(engine, sha256_of(given), page=page)
        except (OSError, DocumentNotFound):
            stored = find_document(engine, doc, page=page)
    finally:
        engine.dispose()
    path = stored.path if stored.path and Path(stored.path).is_file() else None
    if path is None and given.is_file():
        path = str(given)
    if path is None:
        raise ValueError(f"{stored.file_name}: the file is no longer at {stored.path}")
    boxes = [Box(b.bbox, " ".join((b.field, *b.issues)),
                 COLORS["low"] if b.issues or b.confidence < LOW_CONFIDENCE
                 else COLORS.get(b.source, COLORS["text"])) for b in stored.boxes]
    image = draw_boxes(render_page(path, page, dpi, stored.turn(page), stored.sheet(page)), boxes, dpi)
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    image.save(target)
    return target


def query(sql: str, db: str = DEFAULT_DB) -> pd.DataFrame:
    """Run one read-only SQL statement."""
    engine = open_existing(db)
    try:
        return q.run_sql(engine, sql)
    finally:
        engine.dispose()
