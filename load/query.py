"""Reading the database: ad-hoc SQL for ``jixiao query`` and ready-made DataFrames.

``run_sql`` is read-only, in two layers:

1. a lexical guard (:func:`check_read_only`) that strips comments, string literals and
   quoted identifiers, then accepts exactly one statement whose first keyword is SELECT,
   WITH, EXPLAIN or VALUES and which contains none of the writing or transaction keywords
   (INSERT, UPDATE, DELETE, DROP, ATTACH, PRAGMA, COMMIT, SELECT … INTO, …) — otherwise
   :class:`ReadOnlyError` naming the statement kind;
2. the database itself: SQLite runs the statement with ``PRAGMA query_only=ON`` on that
   connection (and the sqlite3 driver refuses several statements in one call);
   PostgreSQL runs it in a ``READ ONLY`` transaction that is rolled back afterwards.

This protects against accidents, not against a hostile user holding the database URL:
give such users a read-only database role.

The ``*_frame`` functions return current versions only and filter with bound
parameters; money columns hold exact ``Decimal`` values in 万元 (``.astype(float)`` for
arithmetic in floating point).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
from sqlalchemy import Engine, Select, func, select, text

from load import models as m
from load.errors import ReadOnlyError

#: First keywords ``run_sql`` accepts.
READ_KEYWORDS = frozenset({"SELECT", "WITH", "EXPLAIN", "VALUES"})
#: Keywords refused anywhere outside literals, comments and quoted identifiers.
WRITE_KEYWORDS = frozenset(
    {
        "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "DROP", "CREATE", "ALTER",
        "TRUNCATE", "ATTACH", "DETACH", "PRAGMA", "VACUUM", "REINDEX", "GRANT", "REVOKE",
        "COPY", "CALL", "INTO", "LOCK", "SET", "RESET", "BEGIN", "COMMIT", "ROLLBACK",
        "SAVEPOINT", "RELEASE", "PREPARE", "EXECUTE", "DEALLOCATE", "LISTEN", "NOTIFY",
        "LOAD", "DISCARD", "REFRESH", "CLUSTER", "COMMENT", "SECURITY", "IMPORT",
    }
)  # fmt: skip

# Tokens, tried in order at each position. Whatever PostgreSQL or SQLite would read as
# code must never be swallowed by a "literal" or "comment" here, so the rules err towards
# ending literals and comments early (block comments do not nest; E'' strings honour
# backslash escapes; a line comment ends at \n or \r).
_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<line_comment>--[^\n\r]*)
    | (?P<block_comment>/\*.*?(?:\*/|\Z))
    | (?P<estring>[Ee]'(?:[^'\\]|\\.|'')*(?:'|\Z))
    | (?P<string>'(?:[^']|'')*(?:'|\Z))
    | (?P<quoted>"(?:[^"]|"")*(?:"|\Z)|`[^`]*(?:`|\Z))
    | (?P<dollar>\$(?P<tag>[A-Za-z_][A-Za-z0-9_]*|)\$.*?(?:\$(?P=tag)\$|\Z))
    | (?P<word>[A-Za-z_][A-Za-z0-9_$]*)
    | (?P<semicolon>;)
    | (?P<other>.)
    """,
    re.S | re.X,
)


def _statements(sql: str) -> list[list[tuple[str, str]]]:
    """Code tokens (kind, text) of each non-empty statement, literals and comments dropped."""
    statements: list[list[tuple[str, str]]] = [[]]
    for match in _TOKEN.finditer(sql):
        kind = match.lastgroup or "other"
        if kind == "tag":  # pragma: no cover - inner group, never the last one
            kind = "dollar"
        if kind in ("space", "line_comment", "block_comment"):
            continue
        if kind == "semicolon":
            statements.append([])
            continue
        if kind == "dollar" or kind == "estring":
            kind = "string"
        statements[-1].append((kind, match.group()))
    return [s for s in statements if s]


def _kind(tokens: list[tuple[str, str]]) -> str:
    for kind, value in tokens:
        if kind == "word":
            return value.upper()
        if value != "(":
            break
    return tokens[0][1] if tokens else ""


def check_read_only(sql: str) -> str:
    """The statement kind (e.g. ``"SELECT"``) if ``sql`` is one read-only query; else
    :class:`ReadOnlyError` naming what was refused."""
    statements = _statements(sql)
    if not statements:
        raise ReadOnlyError("refusing an empty statement: give one SELECT query")
    if len(statements) > 1:
        kinds = "; ".join(_kind(s) for s in statements)
        raise ReadOnlyError(
            f"refusing {len(statements)} statements ({kinds}): jixiao query runs exactly one "
            "read-only statement"
        )
    tokens = statements[0]
    kind = _kind(tokens)
    if kind not in READ_KEYWORDS:
        raise ReadOnlyError(
            f"refusing {kind or 'unrecognised'} statement: jixiao query is read-only "
            "(SELECT, WITH … SELECT, EXPLAIN or VALUES only)"
        )
    for token_kind, value in tokens:
        if token_kind == "word" and value.upper() in WRITE_KEYWORDS:
            raise ReadOnlyError(
                f"refusing {kind} statement containing {value.upper()}: jixiao query is "
                'read-only (quote an identifier with "…" if it is a column name)'
            )
    return kind


def run_sql(engine: Engine, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Run one read-only query and return its rows as a DataFrame.

    ``params`` fill ``:name`` placeholders (bound by the driver, never pasted into the
    SQL). Without ``params`` the SQL goes to the driver unchanged, so ``%`` and ``:`` in
    literals need no escaping. Raises :class:`ReadOnlyError` for anything but one
    SELECT / WITH / EXPLAIN / VALUES statement.
    """
    check_read_only(sql)
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        driver = conn.connection.driver_connection if sqlite else None
        if sqlite:
            driver.execute("PRAGMA query_only=ON")  # type: ignore[union-attr]
        try:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            if params:
                result = conn.execute(text(sql), dict(params))
            else:
                # no_parameters: the driver gets the SQL as is (psycopg leaves % alone).
                result = conn.exec_driver_sql(sql, execution_options={"no_parameters": True})
            if result.returns_rows:
                columns = list(result.keys())
                rows = [tuple(r) for r in result.fetchall()]
            else:
                columns, rows = [], []
            conn.rollback()
        finally:
            if sqlite:
                try:
                    driver.execute("PRAGMA query_only=OFF")  # type: ignore[union-attr]
                except Exception:  # never hand a read-only connection back to the pool
                    conn.invalidate()
                    raise
    return pd.DataFrame.from_records(rows, columns=columns)


# --- ready-made frames of current versions ---------------------------------------------


def _frame(engine: Engine, stmt: Select[Any]) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(stmt)
        columns = list(result.keys())
        rows = [tuple(r) for r in result.fetchall()]
    return pd.DataFrame.from_records(rows, columns=columns)


def _current(stmt: Select[Any], year: int | None, department: str | None) -> Select[Any]:
    stmt = stmt.where(m.Declaration.is_current.is_(True))
    if year is not None:
        stmt = stmt.where(m.Declaration.year == int(year))
    if department is not None:
        stmt = stmt.where(m.Declaration.department == department)
    return stmt


def _who() -> list[Any]:
    d = m.Declaration
    return [
        d.id.label("declaration_id"),
        d.department,
        d.year,
        d.version,
        m.Document.file_name.label("file"),
    ]


def _count(model: Any) -> Any:
    return (
        select(func.count())
        .select_from(model)
        .where(model.declaration_id == m.Declaration.id)
        .scalar_subquery()
    )


def declarations_frame(
    engine: Engine, year: int | None = None, department: str | None = None
) -> pd.DataFrame:
    """One row per current declaration: profile, texts, sign-off, source and row counts."""
    d = m.Declaration
    stmt = (
        select(
            *_who(),
            d.title,
            d.money_unit,
            d.subordinate_units,
            d.staffing_quota,
            d.funded_staff,
            d.functions,
            d.policies,
            d.strategic_goals,
            d.annual_goals,
            d.signoff_filled_by,
            d.signoff_date,
            d.signoff_phone,
            d.signoff_head,
            m.Document.sha256,
            m.Document.pages,
            _count(m.Indicator).label("indicator_count"),
            _count(m.BudgetLine).label("budget_lines"),
            _count(m.Issue).label("issue_count"),
        )
        .join(m.Document, m.Document.id == d.document_id)
        .order_by(d.department, d.year, d.id)
    )
    return _frame(engine, _current(stmt, year, department))


def indicators_frame(
    engine: Engine, year: int | None = None, department: str | None = None
) -> pd.DataFrame:
    """One row per 绩效目标 row of current declarations, in form order."""
    i = m.Indicator
    values = [getattr(i, f"{p}_{part}") for p in m.PERIODS for part in m.VALUE_PARTS]
    stmt = (
        select(*_who(), i.position, i.level1, i.level2, i.level3, *values, i.basis, i.has_periods)
        .join(m.Document, m.Document.id == m.Declaration.document_id)
        .join(i, i.declaration_id == m.Declaration.id)
        .order_by(m.Declaration.department, m.Declaration.year, m.Declaration.id, i.position)
    )
    return _frame(engine, _current(stmt, year, department))


def budget_frame(
    engine: Engine, year: int | None = None, department: str | None = None
) -> pd.DataFrame:
    """One row per 年度部门预算 line of current declarations (both sides), in form order."""
    b = m.BudgetLine
    stmt = (
        select(
            *_who(),
            b.position,
            b.side,
            b.item,
            b.parent,
            b.annual,
            b.h1,
            b.q3,
            b.annual_raw,
            b.h1_raw,
            b.q3_raw,
        )
        .join(m.Document, m.Document.id == m.Declaration.document_id)
        .join(b, b.declaration_id == m.Declaration.id)
        .order_by(m.Declaration.department, m.Declaration.year, m.Declaration.id, b.position)
    )
    return _frame(engine, _current(stmt, year, department))


def issues_frame(
    engine: Engine, year: int | None = None, department: str | None = None
) -> pd.DataFrame:
    """One row per issue normalize found in current declarations; ``field`` is the JSON
    Pointer into the exported declaration at what it concerns."""
    s = m.Issue
    stmt = (
        select(*_who(), s.position, s.code, s.message, s.page, s.field)
        .join(m.Document, m.Document.id == m.Declaration.document_id)
        .join(s, s.declaration_id == m.Declaration.id)
        .order_by(m.Declaration.department, m.Declaration.year, m.Declaration.id, s.position)
    )
    return _frame(engine, _current(stmt, year, department))


def _child_frame(
    engine: Engine, model: Any, columns: list[str], year: int | None, department: str | None
) -> pd.DataFrame:
    stmt = (
        select(*_who(), model.position, *[getattr(model, c) for c in columns])
        .join(m.Document, m.Document.id == m.Declaration.document_id)
        .join(model, model.declaration_id == m.Declaration.id)
        .order_by(m.Declaration.department, m.Declaration.year, m.Declaration.id, model.position)
    )
    return _frame(engine, _current(stmt, year, department))


def work_tasks_frame(
    engine: Engine, year: int | None = None, department: str | None = None
) -> pd.DataFrame:
    """One row per 年度工作任务 of current declarations."""
    return _child_frame(
        engine, m.WorkTask, ["name", "content", "functions", "projects"], year, department
    )


def prior_year_frame(
    engine: Engine, year: int | None = None, department: str | None = None
) -> pd.DataFrame:
    """One row per 上年度绩效目标完成情况 row of current declarations."""
    return _child_frame(engine, m.PriorYearResult, ["goal", "result"], year, department)
