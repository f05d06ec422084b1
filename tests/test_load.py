"""load/: saving declarations, versions, read-only queries and exports, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from jsonschema import Draft202012Validator

from load import export, query, store
from load.errors import ReadOnlyError, SaveError, UnsupportedDatabaseError
from normalize.model import (
    Amount,
    BudgetLine,
    Declaration,
    Indicator,
    Issue,
    PriorYearResult,
    Provenance,
    Signoff,
    SourceInfo,
    Value,
    WorkTask,
)

SCHEMA_PATH = Path("/work/shared/schema/declaration.schema.json")
DEPARTMENT = "盐城市住房公积金管理中心"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def where(page: int, x0: float, top: float, source: str = "text", confidence: float = 1.0):
    return Provenance(page, (x0, top, x0 + 120.5, top + 18.25), source, confidence)


def amount(raw: str, page: int = 2, top: float = 300.0) -> Amount:
    text = raw.replace(" ", "")
    return Amount(raw, Decimal(text) if text else None, where(page, 310.0, top) if text else None)


def num(raw, value, unit=None, comparator="=", confidence=None, prov=None) -> Value:
    return Value(raw, "number", Decimal(value), unit, comparator, None, confidence, prov)


def make_declaration(
    file: str = "盐城市住房公积金管理中心2021年部门整体绩效目标.pdf",
    *,
    department: str = DEPARTMENT,
    year: int = 2021,
    periods: bool = True,
    salary: str = "1500.5",
) -> Declaration:
    """A small but realistic declaration: 其中 sub-item, ‰ value, blank cells, provenance."""
    sha = hashlib.sha256(f"{file}|{salary}".encode()).hexdigest()

    def periods_of(annual: Value, h1: Value, q3: Value) -> dict:
        return {"annual": annual, "h1": h1, "q3": q3} if periods else {}

    blank = Value("", "empty")
    indicators = (
        Indicator(
            "产出指标",
            "数量指标",
            "归集住房公积金",
            num("90 亿元", "900000", "万元", prov=where(3, 200.0, 120.0)),
            basis="根据2020年归集情况测算",
            provenance=where(3, 40.0, 120.0),
            **periods_of(
                num("90亿元", "900000", "万元", prov=where(3, 330.0, 120.0)),
                num("45亿元", "450000", "万元"),
                blank,  # a blank period cell
            ),
        ),
        Indicator(
            "产出指标",
            "质量指标",
            "个贷逾期率",
            num("≦1‰", "0.1", "%", "<=", confidence=0.97, prov=where(3, 200.0, 140.0)),
            basis=None,
            **periods_of(num("0.15‰", "0.015", "%"), num("1‰", "0.1", "%"), num("1‰", "0.1", "%")),
        ),
        Indicator(
            "效益指标",
            "社会效益指标",
            "服务对象满意度",
            num("不低于95%", "95", "%", ">="),
            basis="满意度调查",
            **periods_of(num("95%", "95", "%", ">="), blank, blank),
        ),
        Indicator(
            "效益指标",
            "可持续影响指标",
            "服务效率",
            Value("提高", "direction", direction="increase"),
            **periods_of(Value("提升", "direction", direction="increase"), blank, blank),
        ),
        Indicator(
            "满意度指标",
            "服务对象满意度指标",
            "审批时限",
            num("三个工作日", "3", "工作日", "<=", prov=where(4, 200.0, 60.0, "lattice", 0.9)),
            **periods_of(blank, blank, blank),
        ),
        Indicator(
            "产出指标",
            "时效指标",
            "信息披露",
            Value("按时", "text", confidence=0.62),
            basis="《住房公积金管理条例》",
            **periods_of(Value("按时", "text"), blank, blank),
        ),
    )
    budget = (
        BudgetLine(
            "income",
            "财政拨款收入",
            None,
            amount("2730. 16"),
            amount("1365.08"),
            amount("2047.62"),
            provenance=where(2, 40.0, 300.0),
        ),
        BudgetLine("income", "利息收入", None, amount("0.015"), amount(""), amount("0.01")),
        BudgetLine(
            "income", "合计", None, amount("2730.175"), amount("1365.08"), amount("2047.63")
        ),
        BudgetLine("expenditure", "基本支出", None, amount("2000"), amount("1000"), amount("1500")),
        BudgetLine(
            "expenditure",
            "工资福利支出",
            "基本支出",
            amount(salary),
            amount("750.25"),
            amount("1125.375"),
        ),
        BudgetLine(
            "expenditure", "项目支出", None, amount("730.175"), amount("365.08"), amount("547.63")
        ),
        BudgetLine(
            "expenditure", "合计", None, amount("2730.175"), amount("1365.08"), amount("2047.63")
        ),
    )
    return Declaration(
        source=SourceInfo(file, sha, 5, ("text", "text", "scan", "text", "text"), "extract-0.1"),
        title="部门整体预算绩效目标申报表",
        year=year,
        department=department,
        money_unit="万元",
        subordinate_units=3,
        staffing_quota=112,
        funded_staff=98,
        functions="负责全市住房公积金的归集、管理、使用和会计核算;\n编制住房公积金归集、使用计划。",
        policies="《住房公积金管理条例》《江苏省住房公积金提取管理办法》",
        strategic_goals="推进住房公积金制度扩面,提升服务效能。",
        annual_goals="2021年归集住房公积金90亿元,发放个人住房贷款60亿元。",
        prior_year_results=(
            PriorYearResult(
                "归集住房公积金85亿元", "完成归集88.6亿元,完成率104.2%", where(1, 60.0, 500.0)
            ),
            PriorYearResult("个贷逾期率控制在1‰以内", "个贷逾期率0.12‰"),
        ),
        work_tasks=(
            WorkTask(
                "归集扩面",
                "推进非公企业和灵活就业人员缴存",
                "住房公积金归集",
                "归集扩面项目",
                where(2, 40.0, 100.0),
            ),
            WorkTask("信息化建设", "建设综合服务平台,\n实现“不见面”办理", None, None),
        ),
        budget=budget,
        indicators=indicators,
        signoff=Signoff("王某某", "2021-02-03", "0515-88888888", "张某某"),
        issues=(
            Issue("budget.sum_mismatch", "预算支出合计与分项之和相差0.01万元", 2, "/budget/0/annual"),
            Issue("indicator.low_confidence", "指标值“按时”识别置信度低", None),
        ),
    )


def json_number(d: Decimal | None):
    if d is None:
        return None
    return int(d) if d == d.to_integral_value() else float(d)


def expected_record(decl: Declaration, version: int = 1) -> dict:
    """What the export must hold for ``decl``, written from the schema, not from export.py."""

    def value(v: Value) -> dict:
        return {
            "raw": v.raw,
            "kind": v.kind,
            "value": json_number(v.value),
            "unit": v.unit,
            "comparator": v.comparator,
            "direction": v.direction,
            "confidence": v.confidence,
        }

    def indicator(i: Indicator) -> dict:
        out = {
            "level1": i.level1,
            "level2": i.level2,
            "level3": i.level3,
            "target": value(i.target),
        }
        for period in ("annual", "h1", "q3"):
            if getattr(i, period) is not None:
                out[period] = value(getattr(i, period))
        out["basis"] = i.basis
        return out

    return {
        "schema_version": 1,
        "source": {
            "file": decl.source.file,
            "sha256": decl.source.sha256,
            "pages": decl.source.pages,
            "page_kinds": list(decl.source.page_kinds),
            "first_page": decl.source.page_range[0],
            "last_page": decl.source.page_range[1],
            "version": version,
        },
        "title": decl.title,
        "year": decl.year,
        "department": decl.department,
        "money_unit": decl.money_unit,
        "subordinate_units": decl.subordinate_units,
        "staffing_quota": decl.staffing_quota,
        "funded_staff": decl.funded_staff,
        "functions": decl.functions,
        "policies": decl.policies,
        "strategic_goals": decl.strategic_goals,
        "annual_goals": decl.annual_goals,
        "prior_year_results": [
            {"goal": p.goal, "result": p.result} for p in decl.prior_year_results
        ],
        "work_tasks": [
            {"name": t.name, "content": t.content, "functions": t.functions, "projects": t.projects}
            for t in decl.work_tasks
        ],
        "budget": [
            {
                "side": b.side,
                "item": b.item,
                "parent": b.parent,
                "annual": json_number(b.annual.value),
                "h1": json_number(b.h1.value),
                "q3": json_number(b.q3.value),
            }
            for b in decl.budget
        ],
        "indicators": [indicator(i) for i in decl.indicators],
        "signoff": {
            "filled_by": decl.signoff.filled_by,
            "date": decl.signoff.date,
            "phone": decl.signoff.phone,
            "head": decl.signoff.head,
        },
        "issues": [
            {"code": s.code, "message": s.message, "page": s.page, "field": s.field}
            for s in decl.issues
        ],
    }


def table_counts(engine) -> dict[str, int]:
    tables = [
        "document",
        "declaration",
        "prior_year_result",
        "work_task",
        "budget_line",
        "indicator",
        "provenance",
        "issue",
    ]
    sql = " UNION ALL ".join(f"SELECT '{t}' AS t, COUNT(*) AS n FROM {t}" for t in tables)
    frame = query.run_sql(engine, sql)
    return {row.t: int(row.n) for row in frame.itertuples()}


# --- round trip --------------------------------------------------------------------------


@pytest.mark.parametrize("periods", [True, False], ids=["with-periods", "no-periods"])
def test_save_export_round_trip(engine, validator, periods):
    decl = make_declaration(periods=periods)
    result = store.save(engine, decl)
    assert (result.status, result.version, result.replaced) == ("loaded", 1, False)

    records = export.export_declarations(engine)
    assert len(records) == 1
    record = records[0]
    errors = sorted(validator.iter_errors(record), key=str)
    assert not errors, errors
    expected = expected_record(decl)
    for key in expected:  # field by field, for readable failures
        assert record[key] == expected[key], key
    assert record == expected
    assert all(("annual" in i) is periods for i in record["indicators"])

    # Everything, provenance included, reads back into an equal Declaration.
    assert store.fetch_declaration(engine, result.declaration_id) == decl

    # The JSON text itself: Chinese unescaped, numbers as printed.
    stream = io.StringIO()
    export.write_json(records, stream)
    text = stream.getvalue()
    assert DEPARTMENT in text and "2730.16," in text and "0.015," in text
    assert json.loads(text) == records


def test_provenance_rows(engine):
    result = store.save(engine, make_declaration())
    frame = query.run_sql(
        engine,
        "SELECT field, page, x0, top, x1, bottom, source, confidence FROM provenance "
        "WHERE declaration_id = :d ORDER BY field",
        {"d": result.declaration_id},
    )
    fields = set(frame["field"])
    assert {
        "indicators[0]",
        "indicators[0].target",
        "indicators[0].annual",
        "budget[0]",
        "budget[0].annual",
        "work_tasks[0]",
        "prior_year_results[0]",
        "indicators[4].target",
    } <= fields
    row = frame[frame["field"] == "indicators[4].target"].iloc[0]
    assert (row.page, row.source, row.confidence) == (4, "lattice", 0.9)
    assert (row.x0, row.top, row.x1, row.bottom) == (200.0, 60.0, 320.5, 78.25)


# --- versions ----------------------------------------------------------------------------


def test_same_file_again_is_skipped(engine):
    decl = make_declaration()
    first = store.save(engine, decl)
    before = table_counts(engine)
    again = store.save(engine, decl)
    assert again.status == "skipped"
    assert (again.document_id, again.declaration_id, again.version) == (
        first.document_id,
        first.declaration_id,
        1,
    )
    assert table_counts(engine) == before
    assert before["document"] == 1 and before["indicator"] == 6


def test_resubmission_supersedes(engine, validator):
    old = make_declaration("住房公积金中心2021.pdf")
    new = make_declaration("住房公积金中心2021(更正).pdf", salary="1500.6")
    first = store.save(engine, old)
    second = store.save(engine, new)
    assert second.status == "superseded"
    assert second.version == 2 and second.superseded_id == first.declaration_id

    records = export.export_declarations(engine)
    assert [r["source"]["file"] for r in records] == [new.source.file]
    assert records[0]["source"]["version"] == 2
    assert records[0] == expected_record(new, version=2)
    assert not list(validator.iter_errors(records[0]))

    rows = query.run_sql(
        engine,
        "SELECT id, version, is_current, superseded_by, superseded_at FROM declaration ORDER BY id",
    )
    assert list(rows["version"]) == [1, 2]
    assert [bool(v) for v in rows["is_current"]] == [False, True]
    assert rows["superseded_by"].iloc[0] == second.declaration_id
    assert rows["superseded_at"].iloc[0] is not None and pd.notna(rows["superseded_at"].iloc[0])
    # The old version is still complete.
    assert store.fetch_declaration(engine, first.declaration_id) == old

    summary = query.run_sql(engine, "SELECT * FROM declaration_summary")
    assert len(summary) == 1
    assert summary.iloc[0]["version"] == 2 and summary.iloc[0]["file"] == new.source.file
    assert int(summary.iloc[0]["indicator_count"]) == 6
    assert int(summary.iloc[0]["budget_lines"]) == 7
    assert int(summary.iloc[0]["issue_count"]) == 2

    third = store.save(engine, make_declaration("第三版.pdf", salary="1500.7"))
    assert (third.status, third.version, third.superseded_id) == (
        "superseded",
        3,
        second.declaration_id,
    )
    # Another year or department is its own chain.
    other = store.save(engine, make_declaration("2022.pdf", year=2022))
    assert (other.status, other.version) == ("loaded", 1)
    assert len(export.export_declarations(engine)) == 2
    assert len(export.export_declarations(engine, year=2021)) == 1


def test_force_resaves_in_place(engine):
    decl = make_declaration()
    first = store.save(engine, decl)
    changed = replace(
        decl,
        indicators=decl.indicators[:2],
        issues=(),
        annual_goals="更正后的年度绩效目标",
    )
    result = store.save(engine, changed, force=True)
    assert result.status == "loaded" and result.replaced
    assert (result.document_id, result.declaration_id, result.version) == (
        first.document_id,
        first.declaration_id,
        1,
    )
    assert store.fetch_declaration(engine, first.declaration_id) == changed
    assert export.export_declarations(engine) == [expected_record(changed)]
    counts = table_counts(engine)
    assert (counts["document"], counts["declaration"], counts["indicator"], counts["issue"]) == (
        1,
        1,
        2,
        0,
    )


def test_force_on_a_superseded_file_keeps_it_superseded(engine):
    old = make_declaration("v1.pdf")
    new = make_declaration("v2.pdf", salary="1500.6")
    first = store.save(engine, old)
    store.save(engine, new)
    again = store.save(engine, replace(old, annual_goals="重新识别"), force=True)
    assert again.replaced and again.declaration_id == first.declaration_id and again.version == 1
    records = export.export_declarations(engine)
    assert [r["source"]["file"] for r in records] == ["v2.pdf"]


def test_force_moving_to_another_department_restores_the_previous_version(engine):
    old = make_declaration("v1.pdf")
    new = make_declaration("v2.pdf", salary="1500.6")
    first = store.save(engine, old)
    store.save(engine, new)
    moved = store.save(engine, replace(new, department="盐城市财政局"), force=True)
    assert (moved.status, moved.version, moved.replaced) == ("loaded", 1, False)
    current = {
        (r["department"], r["source"]["file"], r["source"]["version"])
        for r in export.export_declarations(engine)
    }
    assert current == {(DEPARTMENT, "v1.pdf", 1), ("盐城市财政局", "v2.pdf", 1)}
    rows = query.run_sql(
        engine,
        "SELECT id, superseded_by FROM declaration WHERE id = :i",
        {"i": first.declaration_id},
    )
    assert rows["superseded_by"].isna().all()


def test_failure_mid_save_leaves_nothing(engine, monkeypatch):
    kept = store.save(engine, make_declaration("kept.pdf"))
    before = table_counts(engine)
    seen = {}

    def boom(session, row, decl):
        seen["declaration_id"] = row.id  # the declaration row was inserted (flushed)
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, "_add_children", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.save(engine, make_declaration("broken.pdf", salary="1"))
    assert seen["declaration_id"] is not None
    monkeypatch.undo()

    assert table_counts(engine) == before
    records = export.export_declarations(engine)
    assert [(r["source"]["file"], r["source"]["version"]) for r in records] == [("kept.pdf", 1)]
    files = query.run_sql(engine, "SELECT file_name FROM document")
    assert list(files["file_name"]) == ["kept.pdf"]
    # The database is still usable and the kept declaration still current.
    retry = store.save(engine, make_declaration("broken.pdf", salary="1"))
    assert (retry.status, retry.version, retry.superseded_id) == (
        "superseded",
        2,
        kept.declaration_id,
    )


def test_invalid_declarations_are_refused(engine):
    decl = make_declaration()
    with pytest.raises(SaveError, match="sha256"):
        store.save(engine, replace(decl, source=replace(decl.source, sha256="ABC")))
    with pytest.raises(SaveError, match="department"):
        store.save(engine, replace(decl, department="  "))
    assert table_counts(engine)["document"] == 0


def test_load_runs(engine):
    load_id = store.start_load_run(engine, {"force": False, "paths": ["samples/"]})
    result = store.save(engine, make_declaration(), load_id=load_id, path="/data/in/a.pdf")
    store.finish_load_run(engine, load_id, {"loaded": 1})
    run = query.run_sql(engine, "SELECT finished_at, counts, options FROM load_run")
    assert len(run) == 1 and run["finished_at"].iloc[0] is not None
    doc = query.run_sql(
        engine,
        "SELECT load_id, path, file_name FROM document WHERE id = :i",
        {"i": result.document_id},
    )
    assert doc.iloc[0]["load_id"] == load_id and doc.iloc[0]["path"] == "/data/in/a.pdf"
    assert doc.iloc[0]["file_name"] == make_declaration().source.file


def test_unsupported_database():
    with pytest.raises(UnsupportedDatabaseError, match="mysql"):
        store.open_database("mysql://u@localhost/db")


def test_open_database_twice_keeps_data(db_url):
    engine = store.open_database(db_url)
    try:
        store.save(engine, make_declaration())
    finally:
        engine.dispose()
    engine = store.open_database(db_url)
    try:
        assert len(query.run_sql(engine, "SELECT * FROM declaration_summary")) == 1
    finally:
        engine.dispose()


# --- money exactness ---------------------------------------------------------------------


def test_decimals_are_exact(engine):
    decl = make_declaration()
    result = store.save(engine, decl)
    back = store.fetch_declaration(engine, result.declaration_id)
    assert back.budget[0].annual.value == Decimal("2730.16")
    assert str(back.budget[0].annual.value) == "2730.16"
    assert str(back.budget[1].annual.value) == "0.015"
    assert str(back.budget[4].q3.value) == "1125.375"
    assert back.budget[1].h1.value is None and back.budget[1].h1.raw == ""
    assert str(back.indicators[1].target.value) == "0.1"
    assert str(back.indicators[1].annual.value) == "0.015"
    assert str(back.indicators[0].target.value) == "900000"

    budget = query.budget_frame(engine)
    assert budget["annual"].iloc[0] == Decimal("2730.16") and isinstance(
        budget["annual"].iloc[0], Decimal
    )
    assert budget["annual"].iloc[1] == Decimal("0.015")

    record = export.export_declarations(engine)[0]
    assert record["budget"][0]["annual"] == 2730.16
    assert record["budget"][1]["annual"] == 0.015
    assert record["indicators"][0]["target"]["value"] == 900000
    assert isinstance(record["indicators"][0]["target"]["value"], int)

    # SQL arithmetic: exact NUMERIC on PostgreSQL; SQLite has only doubles to sum with.
    total = query.run_sql(
        engine,
        "SELECT SUM(annual) AS s FROM budget_line WHERE side = 'income' AND item <> '合计'",
    )["s"].iloc[0]
    if engine.dialect.name == "postgresql":
        assert total == Decimal("2730.175") and isinstance(total, Decimal)
    else:
        assert float(total) == pytest.approx(2730.175, abs=1e-9)


# --- read-only SQL -----------------------------------------------------------------------

REFUSED = [
    ("INSERT INTO document (file_name) VALUES ('x')", "INSERT"),
    ("update declaration set is_current = false", "UPDATE"),
    ("DELETE FROM indicator", "DELETE"),
    ("DROP TABLE document", "DROP"),
    ("ATTACH DATABASE '/tmp/x.db' AS x", "ATTACH"),
    ("PRAGMA foreign_keys = OFF", "PRAGMA"),
    ("PRAGMA query_only = OFF", "PRAGMA"),
    ("CREATE TABLE t (x int)", "CREATE"),
    ("SELECT 1; DROP TABLE document", "2 statements"),
    ("SELECT 1; SELECT 2;", "2 statements"),
    ("WITH x AS (SELECT 1) DELETE FROM document", "DELETE"),
    ("WITH d AS (DELETE FROM document RETURNING *) SELECT * FROM d", "DELETE"),
    ("SELECT * INTO copy FROM document", "INTO"),
    ("SELECT * FROM document FOR UPDATE", "UPDATE"),
    ("EXPLAIN ANALYZE DELETE FROM document", "DELETE"),
    ("COMMIT", "COMMIT"),
    ("VACUUM", "VACUUM"),
    ("REPLACE INTO document (id) VALUES (1)", "REPLACE"),
    ("SET default_transaction_read_only = off", "SET"),
    ("-- only a comment", "empty"),
    # Literal and comment tricks must not hide a second statement.
    ("SELECT E'\\''; COMMIT; DROP TABLE document; --'", "statements"),
    ("SELECT 1 -- x\r; DROP TABLE document", "statements"),
    ("SELECT $$a$$; DROP TABLE document", "statements"),
    ("SELECT 1 /* ; */ ; DELETE FROM document", "statements"),
]


@pytest.mark.parametrize(("sql", "named"), REFUSED, ids=[s for s, _ in REFUSED])
def test_check_read_only_refuses(sql, named):
    with pytest.raises(ReadOnlyError, match=named):
        query.check_read_only(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM declaration_summary;",
        "  select 1",
        "(SELECT 1) UNION (SELECT 2)",
        "WITH t AS (SELECT 1 AS x) SELECT x FROM t",
        "EXPLAIN SELECT * FROM document",
        "SELECT 'DELETE FROM document; DROP' AS s",
        'SELECT "update" FROM t',
        "SELECT replace(department, '市', '') FROM declaration",
        "/* a; comment */ SELECT 1 -- trailing ; comment",
        "SELECT $x$ ; DROP $x$",
    ],
)
def test_check_read_only_accepts(sql):
    assert query.check_read_only(sql) in {"SELECT", "WITH", "EXPLAIN"}


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM document",
        "SELECT 1; DROP TABLE document",
        "PRAGMA query_only = OFF",
        "ATTACH DATABASE 'x.db' AS x",
        "UPDATE declaration SET is_current = false",
    ],
)
def test_run_sql_refuses_writes(engine, sql):
    store.save(engine, make_declaration())
    before = table_counts(engine)
    with pytest.raises(ReadOnlyError):
        query.run_sql(engine, sql)
    assert table_counts(engine) == before


def test_database_enforces_read_only_behind_the_guard(engine, monkeypatch):
    """With the lexical guard switched off, the connection itself refuses the write."""
    store.save(engine, make_declaration())
    monkeypatch.setattr(query, "check_read_only", lambda sql: "SELECT")
    with pytest.raises(Exception, match="(?i)read.?only|readonly|attempt to write"):
        query.run_sql(engine, "DELETE FROM issue")
    monkeypatch.undo()
    assert table_counts(engine)["issue"] == 2
    # The pooled connection was handed back writable: saving still works.
    assert store.save(engine, make_declaration("another.pdf", salary="9")).status == "superseded"


def test_run_sql_answers_selects(engine):
    store.save(engine, make_declaration())
    store.save(engine, make_declaration("财政局.pdf", department="盐城市财政局", periods=False))
    summary = query.run_sql(
        engine,
        "SELECT department, year, indicator_count FROM declaration_summary ORDER BY department",
    )
    assert list(summary.columns) == ["department", "year", "indicator_count"]
    assert sorted(summary["department"]) == sorted([DEPARTMENT, "盐城市财政局"])

    rates = query.run_sql(
        engine,
        "SELECT level3, target_value FROM indicator WHERE target_unit = :u AND level3 LIKE '%率%'",
        {"u": "%"},
    )
    assert set(rates["level3"]) == {"个贷逾期率"}
    like = query.run_sql(
        engine, "SELECT COUNT(*) AS n FROM declaration WHERE department LIKE '%公积金%'"
    )
    assert int(like["n"].iloc[0]) == 1
    cte = query.run_sql(
        engine,
        "WITH c AS (SELECT side, COUNT(*) AS n FROM budget_line GROUP BY side) "
        "SELECT * FROM c ORDER BY side",
    )
    assert list(cte["side"]) == ["expenditure", "income"]
    assert len(query.run_sql(engine, "EXPLAIN SELECT * FROM declaration_summary")) > 0


def test_frames_filter_with_bound_parameters(engine):
    store.save(engine, make_declaration())
    store.save(engine, make_declaration("2022.pdf", year=2022))
    assert len(query.declarations_frame(engine)) == 2
    assert list(query.declarations_frame(engine, year=2022)["year"]) == [2022]
    assert len(query.declarations_frame(engine, department=DEPARTMENT)) == 2
    assert query.declarations_frame(engine, department="x' OR '1'='1").empty
    indicators = query.indicators_frame(engine, year=2021)
    assert len(indicators) == 6 and list(indicators["position"]) == list(range(6))
    assert list(indicators["level1"])[:2] == ["产出指标", "产出指标"]
    budget = query.budget_frame(engine, year=2021, department=DEPARTMENT)
    assert list(budget["item"]) == [b.item for b in make_declaration().budget]
    assert budget["parent"].iloc[4] == "基本支出"
    assert len(query.issues_frame(engine, year=2022)) == 2


# --- files -------------------------------------------------------------------------------


def test_write_json_to_path(engine, tmp_path, validator):
    store.save(engine, make_declaration())
    path = tmp_path / "out.json"
    export.write_json(export.export_declarations(engine), path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, list) and len(data) == 1
    assert not list(validator.iter_errors(data[0]))
    assert "盐城市" in path.read_text(encoding="utf-8")


def test_csv_written_with_bom_and_readable(engine, tmp_path):
    store.save(engine, make_declaration())
    paths = export.write_csv(engine, tmp_path / "csv")
    assert [p.name for p in paths] == ["declarations.csv", "prior_year_results.csv", "work_tasks.csv",
                                       "budget.csv", "indicators.csv", "issues.csv"]
    for path in paths:
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    decl = pd.read_csv(tmp_path / "csv" / "declarations.csv", encoding="utf-8-sig")
    assert decl["department"].tolist() == [DEPARTMENT]
    assert "\n" in decl["functions"].iloc[0]  # multi-line prose survives quoting
    budget = pd.read_csv(tmp_path / "csv" / "budget.csv", encoding="utf-8-sig", dtype=str)
    assert budget["annual"].tolist()[:2] == ["2730.16", "0.015"]
    assert pd.isna(budget["h1"].iloc[1])
    indicators = pd.read_csv(tmp_path / "csv" / "indicators.csv", encoding="utf-8-sig")
    assert indicators["level3"].tolist()[1] == "个贷逾期率"

    export.write_csv(engine, tmp_path / "zh", chinese_headers=True)
    frame = pd.read_csv(tmp_path / "zh" / "indicators.csv", encoding="utf-8-sig")
    assert {"一级指标", "二级指标", "三级指标", "指标值", "依据或说明"} <= set(frame.columns)
    tasks = pd.read_csv(tmp_path / "csv" / "work_tasks.csv", encoding="utf-8-sig")
    assert len(tasks) == len(make_declaration().work_tasks)
    issues = pd.read_csv(tmp_path / "csv" / "issues.csv", encoding="utf-8-sig")
    assert issues["field"].tolist()[0] == "/budget/0/annual" and pd.isna(issues["field"].iloc[1])


def test_xlsx_written_with_chinese_headers(engine, tmp_path):
    store.save(engine, make_declaration())
    path = export.write_xlsx(engine, tmp_path / "out" / "jixiao.xlsx")
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == list(export.XLSX_SHEETS.values())
    indicators = sheets["绩效目标"]
    for header in [
        "一级指标",
        "二级指标",
        "三级指标",
        "指标值",
        "全年值",
        "上半年值",
        "前三季度值",
        "依据或说明",
    ]:
        assert header in indicators.columns
    assert indicators["三级指标"].tolist()[1] == "个贷逾期率"
    assert indicators["指标值(数值)"].tolist()[1] == pytest.approx(0.1)
    budget = sheets["年度部门预算"]
    for header in ["收支", "项目", "所属项目", "全年数", "上半年数", "前三季度数"]:
        assert header in budget.columns
    assert budget["收支"].tolist()[0] == "预算收入" and budget["收支"].tolist()[-1] == "预算支出"
    assert budget["全年数"].tolist()[0] == 2730.16
    assert sheets["申报表"]["部门名称"].tolist() == [DEPARTMENT]
    assert len(sheets["问题"]) == 2
    assert sheets["问题"]["字段"].tolist()[0] == "/budget/0/annual"


def test_exports_of_an_empty_database(engine, tmp_path):
    assert export.export_declarations(engine) == []
    export.write_csv(engine, tmp_path)
    assert pd.read_csv(tmp_path / "budget.csv", encoding="utf-8-sig").empty
    sheets = pd.read_excel(export.write_xlsx(engine, tmp_path / "e.xlsx"), sheet_name=None)
    assert "一级指标" in sheets["绩效目标"].columns


def test_concurrent_resubmissions_get_distinct_versions(engine):
    """Savers racing on one (department, year) are serialised: versions 1..n, one current."""
    import threading

    results, errors = [], []

    def work(i: int) -> None:
        try:
            results.append(store.save(engine, make_declaration(f"f{i}.pdf", salary=str(i))))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(r.version for r in results) == [1, 2, 3, 4, 5, 6]
    current = query.run_sql(engine, "SELECT version FROM declaration WHERE is_current")
    assert current["version"].tolist() == [6]
