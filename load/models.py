"""The database schema: one row per ingested file, per declaration version and per form row.

Tables (all names are plain English so the database reads well in Datasette or psql):

``load_run``            one ``jixiao ingest`` invocation: options, start/finish time, counts
``document``            one ingested PDF, unique by ``sha256``
``declaration``         the declaration read from a document; ``version``/``is_current`` track
                        corrected re-submissions for the same (department, year)
``prior_year_result``   上年度绩效目标完成情况 rows
``work_task``           年度工作任务 rows
``budget_line``         年度部门预算 rows (both sides), money in 万元
``indicator``           绩效目标 rows with the parsed 指标值 and period values
``provenance``          where each value was read (page and box in PDF points)
``issue``               findings of normalize's checks

and the view ``declaration_summary`` over current versions.

The database gets this schema from the Alembic revisions in ``load/migrations/versions/``
(:func:`load.schema.upgrade`, run by ``open_database``), not from ``create_all``: a change
here lands with a new revision (``python -m load.migrations revision "…"``), and
``tests/test_schema.py`` fails until models and revisions agree.

Money columns are ``Numeric(20, 6)`` read through :class:`Money`, which always yields an
exact ``Decimal``: on PostgreSQL the column is a true NUMERIC; SQLite keeps NUMERIC
values as 8-byte floats, which are exact to 15 significant digits, and :class:`Money`
turns them back into the shortest decimal that round-trips (2730.16, not
2730.1599999999999). Every child row carries ``position``, its 0-based index in form
order, which is also the index used in ``provenance.field``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

#: Value parts stored for each indicator value column (target, annual, h1, q3).
VALUE_PARTS = ("raw", "kind", "value", "unit", "comparator", "direction", "confidence")
#: The indicator value columns, in form order: 指标值, 全年值, 上半年值, 前三季度值.
PERIODS = ("target", "annual", "h1", "q3")


def utcnow() -> datetime:
    return datetime.now(UTC)


def exact(value: Decimal | None) -> Decimal | None:
    """``value`` without a meaningless exponent: 2730.160000 -> 2730.16, 100.000 -> 100."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


class Money(TypeDecorator[Decimal]):
    """NUMERIC(20, 6) that reads back as an exact ``Decimal`` on SQLite and PostgreSQL."""

    impl = Numeric(20, 6)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            # Hand us the stored float untouched; process_result_value makes it exact.
            return dialect.type_descriptor(Numeric(20, 6, asdecimal=False))
        return dialect.type_descriptor(Numeric(20, 6, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            value = Decimal(str(value))
        if dialect.name == "sqlite":
            # Text in a NUMERIC-affinity column: SQLite itself converts it to
            # INTEGER or REAL, rounding the decimal literal correctly.
            return str(value)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, Decimal):
            return exact(value)
        if isinstance(value, int):
            return Decimal(value)
        if isinstance(value, float):
            return exact(Decimal(repr(value)))
        return exact(Decimal(str(value)))


class Base(DeclarativeBase):
    pass


class LoadRun(Base):
    """One ingest invocation."""

    __tablename__ = "load_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    options: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    counts: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Document(Base):
    """One ingested file."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    file_name: Mapped[str] = mapped_column(Text)
    path: Mapped[str | None] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    pages: Mapped[int] = mapped_column(Integer)
    page_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    # per page: degrees clockwise the page as displayed was turned to read it (show draws
    # it so); NULL for documents stored before pages were turned
    page_turns: Mapped[list[int] | None] = mapped_column(JSON)
    # per page: for a photographed one, where its sheet lies on it (extract.photo.Sheet)
    page_sheets: Mapped[list[list[float] | None] | None] = mapped_column(JSON)
    extractor_version: Mapped[str] = mapped_column(Text, default="")
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    load_id: Mapped[int | None] = mapped_column(ForeignKey("load_run.id", ondelete="SET NULL"))
    # pages of the file that are part of no declaration (a booklet's other tables)
    other_pages: Mapped[list[int] | None] = mapped_column(JSON)

    declarations: Mapped[list[Declaration]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Declaration.first_page"
    )


class Declaration(Base):
    """A declaration read from pages ``first_page``..``last_page`` of a document (a file may
    hold several), one version of a (department, year)."""

    __tablename__ = "declaration"
    __table_args__ = (
        UniqueConstraint("document_id", "first_page", name="uq_declaration_document_pages"),
        Index("ix_declaration_department_year", "department", "year"),
        # At most one current version per (department, year), on SQLite and PostgreSQL.
        Index(
            "uq_declaration_current",
            "department",
            "year",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"))
    first_page: Mapped[int] = mapped_column(Integer)
    last_page: Mapped[int] = mapped_column(Integer)
    department: Mapped[str] = mapped_column(Text)
    year: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    title: Mapped[str | None] = mapped_column(Text)
    money_unit: Mapped[str] = mapped_column(Text)
    subordinate_units: Mapped[int | None] = mapped_column(Integer)
    staffing_quota: Mapped[int | None] = mapped_column(Integer)
    funded_staff: Mapped[int | None] = mapped_column(Integer)
    functions: Mapped[str | None] = mapped_column(Text)
    policies: Mapped[str | None] = mapped_column(Text)
    strategic_goals: Mapped[str | None] = mapped_column(Text)
    annual_goals: Mapped[str | None] = mapped_column(Text)
    signoff_filled_by: Mapped[str | None] = mapped_column(Text)
    signoff_date: Mapped[str | None] = mapped_column(String(10))
    signoff_phone: Mapped[str | None] = mapped_column(Text)
    signoff_head: Mapped[str | None] = mapped_column(Text)
    superseded_by: Mapped[int | None] = mapped_column(
        ForeignKey("declaration.id", ondelete="SET NULL")
    )
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    load_id: Mapped[int | None] = mapped_column(ForeignKey("load_run.id", ondelete="SET NULL"))

    document: Mapped[Document] = relationship(back_populates="declarations")
    prior_year_results: Mapped[list[PriorYearResult]] = relationship(
        cascade="all, delete-orphan", order_by="PriorYearResult.position"
    )
    work_tasks: Mapped[list[WorkTask]] = relationship(
        cascade="all, delete-orphan", order_by="WorkTask.position"
    )
    budget_lines: Mapped[list[BudgetLine]] = relationship(
        cascade="all, delete-orphan", order_by="BudgetLine.position"
    )
    indicators: Mapped[list[Indicator]] = relationship(
        cascade="all, delete-orphan", order_by="Indicator.position"
    )
    provenance: Mapped[list[Provenance]] = relationship(
        cascade="all, delete-orphan", order_by="Provenance.id"
    )
    issues: Mapped[list[Issue]] = relationship(
        cascade="all, delete-orphan", order_by="Issue.position"
    )


def _declaration_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("declaration.id", ondelete="CASCADE"), index=True)


class PriorYearResult(Base):
    __tablename__ = "prior_year_result"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = _declaration_fk()
    position: Mapped[int] = mapped_column(Integer)
    goal: Mapped[str] = mapped_column(Text)
    result: Mapped[str] = mapped_column(Text)


class WorkTask(Base):
    __tablename__ = "work_task"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = _declaration_fk()
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
    functions: Mapped[str | None] = mapped_column(Text)
    projects: Mapped[str | None] = mapped_column(Text)


class BudgetLine(Base):
    """One printed line of 年度部门预算; ``side`` is income (预算收入) or expenditure (预算支出)."""

    __tablename__ = "budget_line"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = _declaration_fk()
    position: Mapped[int] = mapped_column(Integer)
    side: Mapped[str] = mapped_column(String(16))
    item: Mapped[str] = mapped_column(Text)
    parent: Mapped[str | None] = mapped_column(Text)
    annual: Mapped[Decimal | None] = mapped_column(Money)
    h1: Mapped[Decimal | None] = mapped_column(Money)
    q3: Mapped[Decimal | None] = mapped_column(Money)
    annual_raw: Mapped[str] = mapped_column(Text, default="")
    h1_raw: Mapped[str] = mapped_column(Text, default="")
    q3_raw: Mapped[str] = mapped_column(Text, default="")


class Indicator(Base):
    """One 绩效目标 row. For each of target/annual/h1/q3 the printed text and its parse.

    A period's ``<p>_kind`` is NULL when the form has no such column (then ``has_periods``
    is false); a blank cell of an existing column has kind ``empty``.
    """

    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = _declaration_fk()
    position: Mapped[int] = mapped_column(Integer)
    level1: Mapped[str] = mapped_column(Text)
    level2: Mapped[str] = mapped_column(Text)
    level3: Mapped[str] = mapped_column(Text)
    basis: Mapped[str | None] = mapped_column(Text)
    has_periods: Mapped[bool] = mapped_column(Boolean, default=False)

    target_raw: Mapped[str] = mapped_column(Text)
    target_kind: Mapped[str] = mapped_column(String(16))
    target_value: Mapped[Decimal | None] = mapped_column(Money)
    target_unit: Mapped[str | None] = mapped_column(Text)
    target_comparator: Mapped[str | None] = mapped_column(String(2))
    target_direction: Mapped[str | None] = mapped_column(String(16))
    target_confidence: Mapped[float | None] = mapped_column(Float)

    annual_raw: Mapped[str | None] = mapped_column(Text)
    annual_kind: Mapped[str | None] = mapped_column(String(16))
    annual_value: Mapped[Decimal | None] = mapped_column(Money)
    annual_unit: Mapped[str | None] = mapped_column(Text)
    annual_comparator: Mapped[str | None] = mapped_column(String(2))
    annual_direction: Mapped[str | None] = mapped_column(String(16))
    annual_confidence: Mapped[float | None] = mapped_column(Float)

    h1_raw: Mapped[str | None] = mapped_column(Text)
    h1_kind: Mapped[str | None] = mapped_column(String(16))
    h1_value: Mapped[Decimal | None] = mapped_column(Money)
    h1_unit: Mapped[str | None] = mapped_column(Text)
    h1_comparator: Mapped[str | None] = mapped_column(String(2))
    h1_direction: Mapped[str | None] = mapped_column(String(16))
    h1_confidence: Mapped[float | None] = mapped_column(Float)

    q3_raw: Mapped[str | None] = mapped_column(Text)
    q3_kind: Mapped[str | None] = mapped_column(String(16))
    q3_value: Mapped[Decimal | None] = mapped_column(Money)
    q3_unit: Mapped[str | None] = mapped_column(Text)
    q3_comparator: Mapped[str | None] = mapped_column(String(2))
    q3_direction: Mapped[str | None] = mapped_column(String(16))
    q3_confidence: Mapped[float | None] = mapped_column(Float)


class Provenance(Base):
    """Where one value was read. ``field`` is a path such as ``indicators[3].target``,
    ``budget[2].annual``, ``work_tasks[0]`` (0-based positions, as in the JSON export)."""

    __tablename__ = "provenance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = _declaration_fk()
    field: Mapped[str] = mapped_column(Text)
    page: Mapped[int] = mapped_column(Integer)
    x0: Mapped[float] = mapped_column(Float)
    top: Mapped[float] = mapped_column(Float)
    x1: Mapped[float] = mapped_column(Float)
    bottom: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(16), default="text")
    confidence: Mapped[float] = mapped_column(Float, default=1.0)


class Issue(Base):
    """A finding of normalize's checks; ``field`` is the JSON Pointer (``/budget/3/annual``)
    into the exported declaration at what it concerns, NULL for the document as a whole."""

    __tablename__ = "issue"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = _declaration_fk()
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    page: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(Text)


# --- views -------------------------------------------------------------------------------

SUMMARY_VIEW = "declaration_summary"

SUMMARY_VIEW_SELECT = """
SELECT d.id AS declaration_id,
       d.department AS department,
       d.year AS year,
       d.version AS version,
       doc.file_name AS file,
       (SELECT COUNT(*) FROM indicator i WHERE i.declaration_id = d.id) AS indicator_count,
       (SELECT COUNT(*) FROM budget_line b WHERE b.declaration_id = d.id) AS budget_lines,
       (SELECT COUNT(*) FROM issue s WHERE s.declaration_id = d.id) AS issue_count
FROM declaration d
JOIN document doc ON doc.id = d.document_id
WHERE d.is_current
"""


def create_views(connection: Connection) -> None:
    """Create (or refresh) the views; idempotent on SQLite and PostgreSQL."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            f"CREATE OR REPLACE VIEW {SUMMARY_VIEW} AS {SUMMARY_VIEW_SELECT}"
        )
    else:
        connection.exec_driver_sql(f"DROP VIEW IF EXISTS {SUMMARY_VIEW}")
        connection.exec_driver_sql(f"CREATE VIEW {SUMMARY_VIEW} AS {SUMMARY_VIEW_SELECT}")


def drop_views(connection: Connection) -> None:
    connection.exec_driver_sql(f"DROP VIEW IF EXISTS {SUMMARY_VIEW}")


@event.listens_for(Base.metadata, "after_create")
def _after_create(target: Any, connection: Connection, **kw: Any) -> None:
    create_views(connection)


@event.listens_for(Base.metadata, "before_drop")
def _before_drop(target: Any, connection: Connection, **kw: Any) -> None:
    drop_views(connection)
