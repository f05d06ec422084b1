"""Opening the database and saving declarations into it.

``save_file`` stores the declarations read from one file (a file may hold several
forms) in ONE transaction: the document row, the declaration rows and all their child
rows are committed together or not at all. Rules:

* a document whose ``sha256`` is already stored is ``"skipped"`` (nothing is written),
  unless ``force=True``: then a declaration re-read from the same first page for the
  same (department, year) is replaced in place (same row id, same version, same
  current/superseded state; child rows rewritten), and the document's other old
  declarations are taken out of their chains;
* a declaration for a (department, year) that already has a current declaration from
  another document supersedes it: the old one stays, with ``is_current`` false and
  ``superseded_by``/``superseded_at`` set, and the new one gets ``version = old + 1``
  (``"superseded"``);
* otherwise it is stored as version 1 (``"loaded"``).

Concurrent savers are serialised per (department, year) and per file: on PostgreSQL with
transaction-scoped advisory locks, on SQLite by starting the write transaction with
``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, create_engine, event, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from load import models as m
from load import schema
from load.errors import LoadError, SaveError, UnsupportedDatabaseError
from normalize import model as nm

Status = Literal["loaded", "superseded", "skipped"]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_BEGIN_OPTION = schema.SQLITE_BEGIN_OPTION


@dataclass(frozen=True)
class SaveResult:
    """What ``save`` did. ``replaced`` is true when ``force=True`` rewrote an existing
    document's declaration in place (status is then ``"loaded"``); ``superseded_id`` is
    the declaration that stopped being current because of this save."""

    status: Status
    document_id: int
    declaration_id: int
    version: int
    superseded_id: int | None = None
    replaced: bool = False


# --- opening -----------------------------------------------------------------------------


def open_database(url: str) -> Engine:
    """Engine for a SQLite or PostgreSQL URL whose schema is at this jixiao's head revision.

    A new database gets the schema, an older one is upgraded (:func:`load.schema.upgrade`);
    one written by a newer jixiao is refused with :class:`DatabaseNewerError`.

    SQLite connections get ``foreign_keys=ON``, WAL journaling (file databases) and a
    busy timeout; a missing parent directory of the database file is created.
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise UnsupportedDatabaseError(
            f"unsupported database {backend!r} in {parsed.render_as_string(hide_password=True)}: "
            "use sqlite:///path.db or postgresql+psycopg://user@host/db"
        )
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 30})
        _configure_sqlite(engine)
    else:
        engine = create_engine(parsed, pool_pre_ping=True)
    try:
        schema.upgrade(engine, parsed.render_as_string(hide_password=True))
    except (SQLAlchemyError, LoadError):
        engine.dispose()
        raise
    return engine


def _to_wal(cursor: Any, attempts: int = 200) -> None:
    """WAL journaling. Switching a new file to WAL needs it to itself, and SQLite answers
    "database is locked" at once, without the busy timeout, while another connection
    (a second process or thread opening the same new database) holds it: try again
    for up to ten seconds. Once the file is in WAL, the switch is a no-op."""
    for attempt in range(attempts):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy (the "begin" hook below) issue BEGIN, so that a transaction
        # covers reads too and save() can take the write lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            _to_wal(cursor)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql(conn.get_execution_options().get(_BEGIN_OPTION, "BEGIN"))


# --- load runs ---------------------------------------------------------------------------


@contextmanager
def _writing(engine: Engine) -> Iterator[Session]:
    """A session in one write transaction: flushed and committed at the end, or rolled
    back on an exception.

    On SQLite the transaction starts with ``BEGIN IMMEDIATE``, taking the write lock before
    the first read: a deferred transaction that reads and then writes cannot wait for the
    lock (SQLite fails it at once with "database is locked", busy timeout or not) when
    another process committed in between.
    """
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.execution_options(**{_BEGIN_OPTION: "BEGIN IMMEDIATE"})
        with conn.begin(), Session(bind=conn, expire_on_commit=False) as session:
            yield session
            session.flush()  # closing the session does not flush; the commit follows


def start_load_run(engine: Engine, options: dict[str, Any] | None = None) -> int:
    """Record the start of an ingest run; returns its id for ``save(load_id=...)``."""
    with _writing(engine) as session:
        run = m.LoadRun(options=options or {})
        session.add(run)
        session.flush()
        return run.id


def finish_load_run(engine: Engine, load_id: int, counts: dict[str, Any]) -> None:
    """Record the end of an ingest run and what it did (e.g. {"loaded": 3, "skipped": 1})."""
    with _writing(engine) as session:
        run = session.get(m.LoadRun, load_id)
        if run is None:
            raise SaveError(f"no load run with id {load_id}")
        run.finished_at = m.utcnow()
        run.counts = dict(counts)


def known_document(engine: Engine, sha256: str) -> bool:
    """Is a file with this content already stored? (Checked before extracting,
    so re-running a folder costs a hash per unchanged file, not a parse.)"""
    with Session(engine) as session:
        found = session.execute(
            select(m.Document.id).where(m.Document.sha256 == sha256).limit(1)
        ).first()
    return found is not None


# --- saving ------------------------------------------------------------------------------


def save(
    engine: Engine,
    declaration: nm.Declaration,
    *,
    force: bool = False,
    load_id: int | None = None,
    path: str | None = None,
) -> SaveResult:
    """Store one declaration (a file holding one form) in one transaction; see the
    module docstring for the rules and :func:`save_file` for a file of several."""
    return save_file(engine, [declaration], force=force, load_id=load_id, path=path)[0]


def save_file(
    engine: Engine,
    declarations: Sequence[nm.Declaration],
    *,
    other_pages: Sequence[int] = (),
    force: bool = False,
    load_id: int | None = None,
    path: str | None = None,
) -> list[SaveResult]:
    """Store every declaration read from one file, in ONE transaction, each under the
    rules of the module docstring; ``other_pages`` are the file's pages part of no form.

    ``path`` is where the file was read from (stored in ``document.path``; defaults to
    the file name). Raises :class:`SaveError` for an invalid declaration or a database
    error, after rolling everything back: a file is stored whole or not at all.
    """
    if not declarations:
        raise SaveError("no declaration to save")
    for declaration in declarations:
        _check(declaration)
    source = declarations[0].source
    if any(d.source.sha256 != source.sha256 for d in declarations):
        raise SaveError(f"{source.file}: declarations of different files saved as one")
    try:
        with _writing(engine) as session:
            if engine.dialect.name == "postgresql":
                keys = {f"jixiao:declaration:{d.department}|{d.year}" for d in declarations}
                for key in (f"jixiao:file:{source.sha256}", *sorted(keys)):  # one order: no deadlock
                    session.execute(
                        text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key}
                    )
            results = _save(session, declarations, other_pages, force=force, load_id=load_id,
                            path=path)
            session.flush()
            return results
    except SQLAlchemyError as exc:
        raise SaveError(f"{source.file}: could not save declaration: {exc}") from exc


def _check(declaration: nm.Declaration) -> None:
    if not isinstance(declaration, nm.Declaration):
        raise SaveError(f"expected a normalize.model.Declaration, got {type(declaration).__name__}")
    source = declaration.source
    if not _SHA256.match(source.sha256 or ""):
        raise SaveError(f"{source.file}: sha256 {source.sha256!r} is not 64 lowercase hex digits")
    if not declaration.department or not declaration.department.strip():
        raise SaveError(f"{source.file}: declaration has no department")
    if not isinstance(declaration.year, int) or isinstance(declaration.year, bool):
        raise SaveError(f"{source.file}: year {declaration.year!r} is not an integer")


def _save(
    session: Session,
    declarations: Sequence[nm.Declaration],
    other_pages: Sequence[int],
    *,
    force: bool,
    load_id: int | None,
    path: str | None,
) -> list[SaveResult]:
    source = declarations[0].source
    doc = session.scalars(
        select(m.Document)
        .where(m.Document.sha256 == source.sha256)
        .options(selectinload(m.Document.declarations))
    ).one_or_none()

    if doc is not None and doc.declarations and not force:
        return [SaveResult("skipped", doc.id, old.id, old.version) for old in doc.declarations]

    if doc is None:
        doc = m.Document(sha256=source.sha256)
        session.add(doc)
    _fill_document(doc, source, other_pages, load_id=load_id, path=path)
    session.flush()  # the document row, for its id

    # force=True: a declaration re-read from the same first page, for the same
    # (department, year), is replaced in place; any other old one is taken out of its
    # chain (restoring the version it had superseded) before the new ones are stored
    old_at = {old.first_page: old for old in doc.declarations}
    kept = {first: old for first, old in old_at.items()
            if any(d.source.page_range[0] == first and (d.department, d.year)
                   == (old.department, old.year) for d in declarations)}
    for first, old in old_at.items():
        if first not in kept:
            _remove_declaration(session, old)
    session.flush()
    session.expire(doc, ["declarations"])
    return [_replace(session, kept[d.source.page_range[0]], d, load_id)
            if d.source.page_range[0] in kept else _add(session, doc, d, load_id)
            for d in declarations]


def _replace(session: Session, old: m.Declaration, decl: nm.Declaration,
             load_id: int | None) -> SaveResult:
    _fill_declaration(old, decl, load_id=load_id)
    for collection in (
        old.prior_year_results,
        old.work_tasks,
        old.budget_lines,
        old.indicators,
        old.provenance,
        old.issues,
    ):
        collection.clear()
    session.flush()
    _add_children(session, old, decl)
    return SaveResult("loaded", old.document_id, old.id, old.version, replaced=True)


def _add(session: Session, doc: m.Document, decl: nm.Declaration,
         load_id: int | None) -> SaveResult:
    """Store ``decl`` as the newest version of its (department, year)."""
    key = (m.Declaration.department == decl.department) & (m.Declaration.year == decl.year)
    current = session.scalars(
        select(m.Declaration).where(key, m.Declaration.is_current.is_(True)).with_for_update()
    ).one_or_none()
    last_version = session.scalar(select(func.max(m.Declaration.version)).where(key)) or 0

    now = m.utcnow()
    if current is not None:
        # Unset the old one first: the partial unique index allows one current row.
        current.is_current = False
        current.superseded_at = now
        session.flush()

    row = m.Declaration(document=doc, version=last_version + 1, is_current=True)
    _fill_declaration(row, decl, load_id=load_id)
    session.add(row)
    session.flush()
    if current is not None:
        current.superseded_by = row.id
    _add_children(session, row, decl)
    status: Status = "superseded" if current is not None else "loaded"
    return SaveResult(
        status, doc.id, row.id, row.version, superseded_id=current.id if current else None
    )


def _remove_declaration(session: Session, row: m.Declaration) -> None:
    predecessor = session.scalars(
        select(m.Declaration).where(m.Declaration.superseded_by == row.id)
    ).one_or_none()
    was_current = row.is_current
    session.delete(row)
    session.flush()
    if predecessor is not None:
        predecessor.superseded_by = None
        if was_current:
            predecessor.is_current = True
            predecessor.superseded_at = None
        session.flush()


def _fill_document(
    doc: m.Document, source: nm.SourceInfo, other_pages: Sequence[int], *,
    load_id: int | None, path: str | None
) -> None:
    doc.other_pages = list(other_pages)
    doc.file_name = source.file
    doc.path = path if path is not None else source.file
    doc.pages = source.pages
    doc.page_kinds = list(source.page_kinds)
    doc.page_turns = list(source.page_turns)
    doc.page_sheets = [list(s) if s else None for s in source.page_sheets]
    doc.extractor_version = source.extractor_version
    doc.ingested_at = m.utcnow()
    doc.load_id = load_id


def _fill_declaration(row: m.Declaration, decl: nm.Declaration, *, load_id: int | None) -> None:
    row.department = decl.department
    row.year = decl.year
    row.first_page, row.last_page = decl.source.page_range
    row.title = decl.title
    row.money_unit = decl.money_unit
    row.subordinate_units = decl.subordinate_units
    row.staffing_quota = decl.staffing_quota
    row.funded_staff = decl.funded_staff
    row.functions = decl.functions
    row.policies = decl.policies
    row.strategic_goals = decl.strategic_goals
    row.annual_goals = decl.annual_goals
    row.signoff_filled_by = decl.signoff.filled_by
    row.signoff_date = decl.signoff.date
    row.signoff_phone = decl.signoff.phone
    row.signoff_head = decl.signoff.head
    row.load_id = load_id


def _add_children(session: Session, row: m.Declaration, decl: nm.Declaration) -> None:
    """Insert the declaration's form rows and provenance (called after ``row`` is flushed)."""
    provenance: list[m.Provenance] = []

    def where(field: str, prov: nm.Provenance | None) -> None:
        if prov is None:
            return
        x0, top, x1, bottom = prov.bbox
        provenance.append(
            m.Provenance(
                field=field,
                page=prov.page,
                x0=x0,
                top=top,
                x1=x1,
                bottom=bottom,
                source=prov.source,
                confidence=prov.confidence,
            )
        )

    for i, p in enumerate(decl.prior_year_results):
        row.prior_year_results.append(m.PriorYearResult(position=i, goal=p.goal, result=p.result))
        where(f"prior_year_results[{i}]", p.provenance)

    for i, t in enumerate(decl.work_tasks):
        row.work_tasks.append(
            m.WorkTask(
                position=i,
                name=t.name,
                content=t.content,
                functions=t.functions,
                projects=t.projects,
            )
        )
        where(f"work_tasks[{i}]", t.provenance)

    for i, b in enumerate(decl.budget):
        row.budget_lines.append(
            m.BudgetLine(
                position=i,
                side=b.side,
                item=b.item,
                parent=b.parent,
                annual=b.annual.value,
                h1=b.h1.value,
                q3=b.q3.value,
                annual_raw=b.annual.raw,
                h1_raw=b.h1.raw,
                q3_raw=b.q3.raw,
            )
        )
        where(f"budget[{i}]", b.provenance)
        for period in ("annual", "h1", "q3"):
            where(f"budget[{i}].{period}", getattr(b, period).provenance)

    for i, ind in enumerate(decl.indicators):
        columns: dict[str, Any] = {}
        for period in m.PERIODS:
            value: nm.Value | None = getattr(ind, period)
            for part in m.VALUE_PARTS:
                columns[f"{period}_{part}"] = getattr(value, part) if value is not None else None
            if value is not None:
                where(f"indicators[{i}].{period}", value.provenance)
        row.indicators.append(
            m.Indicator(
                position=i,
                level1=ind.level1,
                level2=ind.level2,
                level3=ind.level3,
                basis=ind.basis,
                has_periods=any(getattr(ind, p) is not None for p in ("annual", "h1", "q3")),
                **columns,
            )
        )
        where(f"indicators[{i}]", ind.provenance)

    for i, issue in enumerate(decl.issues):
        row.issues.append(
            m.Issue(position=i, code=issue.code, message=issue.message, page=issue.page,
                    field=issue.field)
        )

    row.provenance.extend(provenance)
    session.flush()


# --- reading back ------------------------------------------------------------------------


def fetch_declaration(engine: Engine, declaration_id: int) -> nm.Declaration:
    """Rebuild the stored declaration (any version) as a ``normalize.model.Declaration``,
    provenance included; raises :class:`LoadError` when there is no such declaration."""
    with Session(engine) as session:
        row = session.scalars(
            select(m.Declaration)
            .where(m.Declaration.id == declaration_id)
            .options(
                selectinload(m.Declaration.document),
                selectinload(m.Declaration.prior_year_results),
                selectinload(m.Declaration.work_tasks),
                selectinload(m.Declaration.budget_lines),
                selectinload(m.Declaration.indicators),
                selectinload(m.Declaration.provenance),
                selectinload(m.Declaration.issues),
            )
        ).one_or_none()
        if row is None:
            raise LoadError(f"no declaration with id {declaration_id}")
        return to_model(row)


def to_model(row: m.Declaration) -> nm.Declaration:
    """The ``normalize.model.Declaration`` a loaded ``declaration`` row (with children) holds."""
    prov: dict[str, nm.Provenance] = {
        p.field: nm.Provenance(
            page=p.page,
            bbox=(p.x0, p.top, p.x1, p.bottom),
            source=p.source,
            confidence=p.confidence,
        )
        for p in row.provenance
    }

    def value(ind: m.Indicator, period: str, i: int) -> nm.Value | None:
        kind = getattr(ind, f"{period}_kind")
        if kind is None:
            return None
        return nm.Value(
            raw=getattr(ind, f"{period}_raw") or "",
            kind=kind,
            value=getattr(ind, f"{period}_value"),
            unit=getattr(ind, f"{period}_unit"),
            comparator=getattr(ind, f"{period}_comparator"),
            direction=getattr(ind, f"{period}_direction"),
            confidence=getattr(ind, f"{period}_confidence"),
            provenance=prov.get(f"indicators[{i}].{period}"),
        )

    doc = row.document
    return nm.Declaration(
        source=nm.SourceInfo(
            file=doc.file_name,
            sha256=doc.sha256,
            pages=doc.pages,
            page_kinds=tuple(doc.page_kinds or ()),
            page_turns=tuple(doc.page_turns or ()),
            page_sheets=tuple(tuple(s) if s else None for s in doc.page_sheets or ()),
            extractor_version=doc.extractor_version or "",
            first_page=row.first_page,
            last_page=row.last_page,
        ),
        title=row.title,
        year=row.year,
        department=row.department,
        money_unit=row.money_unit,
        subordinate_units=row.subordinate_units,
        staffing_quota=row.staffing_quota,
        funded_staff=row.funded_staff,
        functions=row.functions,
        policies=row.policies,
        strategic_goals=row.strategic_goals,
        annual_goals=row.annual_goals,
        prior_year_results=tuple(
            nm.PriorYearResult(
                goal=p.goal,
                result=p.result,
                provenance=prov.get(f"prior_year_results[{p.position}]"),
            )
            for p in row.prior_year_results
        ),
        work_tasks=tuple(
            nm.WorkTask(
                name=t.name,
                content=t.content,
                functions=t.functions,
                projects=t.projects,
                provenance=prov.get(f"work_tasks[{t.position}]"),
            )
            for t in row.work_tasks
        ),
        budget=tuple(
            nm.BudgetLine(
                side=b.side,  # type: ignore[arg-type]
                item=b.item,
                parent=b.parent,
                annual=nm.Amount(b.annual_raw, b.annual, prov.get(f"budget[{b.position}].annual")),
                h1=nm.Amount(b.h1_raw, b.h1, prov.get(f"budget[{b.position}].h1")),
                q3=nm.Amount(b.q3_raw, b.q3, prov.get(f"budget[{b.position}].q3")),
                provenance=prov.get(f"budget[{b.position}]"),
            )
            for b in row.budget_lines
        ),
        indicators=tuple(
            nm.Indicator(
                level1=ind.level1,
                level2=ind.level2,
                level3=ind.level3,
                target=value(ind, "target", ind.position)
                or nm.Value(raw=ind.target_raw or "", kind="empty"),
                annual=value(ind, "annual", ind.position),
                h1=value(ind, "h1", ind.position),
                q3=value(ind, "q3", ind.position),
                basis=ind.basis,
                provenance=prov.get(f"indicators[{ind.position}]"),
            )
            for ind in row.indicators
        ),
        signoff=nm.Signoff(
            filled_by=row.signoff_filled_by,
            date=row.signoff_date,
            phone=row.signoff_phone,
            head=row.signoff_head,
        ),
        issues=tuple(nm.Issue(code=s.code, message=s.message, page=s.page, field=s.field)
                     for s in row.issues),
    )
