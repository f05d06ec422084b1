"""Exports of current declarations: JSON (the shared contract), CSV and XLSX.

Numbers: money and indicator values are exact ``Decimal`` in the database. JSON has one
number type, so :func:`json_number` writes an integral value as an int (``50000``) and any
other as the nearest float (``2730.16``, ``0.015``); Python prints a float as the shortest
decimal that reads back as the same double, so every value with up to 15 significant
digits — all real budget cells — appears in the JSON exactly as printed on the form.

CSV (:func:`write_csv`): three files, ``declarations.csv``, ``indicators.csv`` and
``budget.csv``, one row per current declaration / indicator row / budget line, with
English snake_case headers equal to the column names of :mod:`load.query`'s frames
(``chinese_headers=True`` gives the form's Chinese labels instead). They are UTF-8 *with a
byte-order mark* (``utf-8-sig``) because Excel on Windows opens a BOM-less CSV as the
local ANSI code page and garbles Chinese; pandas, Python's csv module with
``encoding="utf-8-sig"`` and most tools skip the BOM. Money is written as exact decimal
text (``2730.16``), blank for an empty cell.

XLSX (:func:`write_xlsx`): one sheet per table with the form's Chinese column headers
(一级指标 … 依据或说明, 收支 = 预算收入/预算支出, 全年数 …); money as Excel numbers.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from load import models as m
from load import query

SCHEMA_VERSION = 1


def json_number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: int when integral, else float (shortest round-trip)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _value(ind: m.Indicator, period: str) -> dict[str, Any]:
    return {
        "raw": getattr(ind, f"{period}_raw") or "",
        "kind": getattr(ind, f"{period}_kind"),
        "value": json_number(getattr(ind, f"{period}_value")),
        "unit": getattr(ind, f"{period}_unit"),
        "comparator": getattr(ind, f"{period}_comparator"),
        "direction": getattr(ind, f"{period}_direction"),
        "confidence": getattr(ind, f"{period}_confidence"),
    }


def _indicator(ind: m.Indicator) -> dict[str, Any]:
    record: dict[str, Any] = {
        "level1": ind.level1,
        "level2": ind.level2,
        "level3": ind.level3,
        "target": _value(ind, "target"),
    }
    if ind.has_periods:
        for period in ("annual", "h1", "q3"):
            if getattr(ind, f"{period}_kind") is not None:
                record[period] = _value(ind, period)
    record["basis"] = ind.basis
    return record


def declaration_record(row: m.Declaration) -> dict[str, Any]:
    """The schema-shaped dict of one stored declaration (children loaded, form order)."""
    doc = row.document
    return {
        "schema_version": SCHEMA_VERSION,
        "source": {
            "file": doc.file_name,
            "sha256": doc.sha256,
            "pages": doc.pages,
            "page_kinds": list(doc.page_kinds or []),
            "first_page": row.first_page,
            "last_page": row.last_page,
            "version": row.version,
        },
        "title": row.title,
        "year": row.year,
        "department": row.department,
        "money_unit": row.money_unit,
        "subordinate_units": row.subordinate_units,
        "staffing_quota": row.staffing_quota,
        "funded_staff": row.funded_staff,
        "functions": row.functions,
        "policies": row.policies,
        "strategic_goals": row.strategic_goals,
        "annual_goals": row.annual_goals,
        "prior_year_results": [
            {"goal": p.goal, "result": p.result} for p in row.prior_year_results
        ],
        "work_tasks": [
            {"name": t.name, "content": t.content, "functions": t.functions, "projects": t.projects}
            for t in row.work_tasks
        ],
        "budget": [
            {
                "side": b.side,
                "item": b.item,
                "parent": b.parent,
                "annual": json_number(b.annual),
                "h1": json_number(b.h1),
                "q3": json_number(b.q3),
            }
            for b in row.budget_lines
        ],
        "indicators": [_indicator(ind) for ind in row.indicators],
        "signoff": {
            "filled_by": row.signoff_filled_by,
            "date": row.signoff_date,
            "phone": row.signoff_phone,
            "head": row.signoff_head,
        },
        "issues": [
            {"code": s.code, "message": s.message, "page": s.page, "field": s.field}
            for s in row.issues
        ],
    }


def export_declarations(
    engine: Engine, year: int | None = None, department: str | None = None
) -> list[dict[str, Any]]:
    """One schema-valid dict per CURRENT declaration, ordered by department, year."""
    d = m.Declaration
    stmt = (
        select(d)
        .where(d.is_current.is_(True))
        .options(
            selectinload(d.document),
            selectinload(d.prior_year_results),
            selectinload(d.work_tasks),
            selectinload(d.budget_lines),
            selectinload(d.indicators),
            selectinload(d.issues),
        )
        .order_by(d.department, d.year, d.id)
    )
    if year is not None:
        stmt = stmt.where(d.year == int(year))
    if department is not None:
        stmt = stmt.where(d.department == department)
    with Session(engine) as session:
        return [declaration_record(row) for row in session.scalars(stmt)]


def write_json(
    records: Iterable[dict[str, Any]], path_or_stream: str | os.PathLike[str] | IO[str]
) -> None:
    """Write ``records`` as one JSON array, UTF-8, Chinese unescaped (ensure_ascii=False)."""
    records = list(records)
    if isinstance(path_or_stream, (str, os.PathLike)):
        with open(path_or_stream, "w", encoding="utf-8") as stream:
            json.dump(records, stream, ensure_ascii=False, indent=2)
            stream.write("\n")
    else:
        json.dump(records, path_or_stream, ensure_ascii=False, indent=2)
        path_or_stream.write("\n")


# --- tables with Chinese headers ---------------------------------------------------------

_COMMON = {
    "declaration_id": "申报表编号",
    "department": "部门名称",
    "year": "年度",
    "version": "版本",
    "file": "文件",
    "position": "序号",
}
_DECLARATION = {
    "title": "标题",
    "money_unit": "表头金额单位",
    "subordinate_units": "下属单位数量",
    "staffing_quota": "人员编制情况",
    "funded_staff": "财政供养人员情况",
    "functions": "部门职能",
    "policies": "负责执行的相关政策",
    "strategic_goals": "部门中长期战略目标(规划)",
    "annual_goals": "年度绩效目标",
    "signoff_filled_by": "填表人",
    "signoff_date": "填表日期",
    "signoff_phone": "联系电话",
    "signoff_head": "填报单位负责人",
    "sha256": "文件SHA256",
    "pages": "页数",
    "indicator_count": "指标数",
    "budget_lines": "预算行数",
    "issue_count": "问题数",
}
_PERIOD_LABELS = {"target": "指标值", "annual": "全年值", "h1": "上半年值", "q3": "前三季度值"}
_PART_LABELS = {
    "kind": "类型",
    "value": "数值",
    "unit": "单位",
    "comparator": "比较",
    "direction": "方向",
    "confidence": "置信度",
}
_INDICATOR = {
    "level1": "一级指标",
    "level2": "二级指标",
    "level3": "三级指标",
    **{f"{p}_raw": label for p, label in _PERIOD_LABELS.items()},
    "basis": "依据或说明",
    **{
        f"{p}_{part}": f"{label}({part_label})"
        for p, label in _PERIOD_LABELS.items()
        for part, part_label in _PART_LABELS.items()
    },
    "has_periods": "有分期值",
}
_BUDGET = {
    "side": "收支",
    "item": "项目",
    "parent": "所属项目",
    "annual": "全年数",
    "h1": "上半年数",
    "q3": "前三季度数",
    "annual_raw": "全年数(原文)",
    "h1_raw": "上半年数(原文)",
    "q3_raw": "前三季度数(原文)",
}
_SIDES = {"income": "预算收入", "expenditure": "预算支出"}
_WORK_TASK = {
    "name": "工作任务名称",
    "content": "工作主要内容和要求",
    "functions": "对应部门职能",
    "projects": "对应项目名称",
}
_PRIOR_YEAR = {"goal": "绩效目标", "result": "绩效目标完成情况"}
_ISSUE = {"code": "问题代码", "message": "问题说明", "page": "页码", "field": "字段"}


def _chinese(frame: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Columns in the order of ``_COMMON`` then ``labels``, renamed to Chinese."""
    names = {**_COMMON, **labels}
    order = [c for c in names if c in frame.columns]
    order += [c for c in frame.columns if c not in names]
    frame = frame[order].rename(columns=names)
    if "收支" in frame.columns:
        frame["收支"] = frame["收支"].map(lambda s: _SIDES.get(s, s))
    return frame


def _tables(
    engine: Engine, year: int | None, department: str | None
) -> dict[str, tuple[pd.DataFrame, dict[str, str]]]:
    return {
        "declarations": (query.declarations_frame(engine, year, department), _DECLARATION),
        "prior_year_results": (query.prior_year_frame(engine, year, department), _PRIOR_YEAR),
        "work_tasks": (query.work_tasks_frame(engine, year, department), _WORK_TASK),
        "budget": (query.budget_frame(engine, year, department), _BUDGET),
        "indicators": (query.indicators_frame(engine, year, department), _INDICATOR),
        "issues": (query.issues_frame(engine, year, department), _ISSUE),
    }


#: File name of each CSV written by :func:`write_csv`.
CSV_FILES = {
    "declarations": "declarations.csv",
    "prior_year_results": "prior_year_results.csv",
    "work_tasks": "work_tasks.csv",
    "budget": "budget.csv",
    "indicators": "indicators.csv",
    "issues": "issues.csv",
}

#: Sheet name of each table written by :func:`write_xlsx`, in workbook order.
XLSX_SHEETS = {
    "declarations": "申报表",
    "prior_year_results": "上年度绩效目标完成情况",
    "work_tasks": "年度工作任务",
    "budget": "年度部门预算",
    "indicators": "绩效目标",
    "issues": "问题",
}


def write_csv(
    engine: Engine,
    out_dir: str | os.PathLike[str],
    year: int | None = None,
    department: str | None = None,
    *,
    chinese_headers: bool = False,
) -> list[Path]:
    """Write one CSV per table of the form (UTF-8 with BOM, for Excel) into
    ``out_dir`` (created if missing): the same tables as the xlsx sheets, named in
    ``CSV_FILES``; returns their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = _tables(engine, year, department)
    written = []
    for name, file_name in CSV_FILES.items():
        frame, labels = tables[name]
        if chinese_headers:
            frame = _chinese(frame, labels)
        path = out / file_name
        frame.to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
    return written


def _excel_cell(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def write_xlsx(
    engine: Engine,
    path: str | os.PathLike[str],
    year: int | None = None,
    department: str | None = None,
) -> Path:
    """Write one workbook with a sheet per table and the form's Chinese headers."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tables = _tables(engine, year, department)
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for name, sheet in XLSX_SHEETS.items():
            frame, labels = tables[name]
            frame = _chinese(frame, labels)
            frame = frame.astype(object).map(_excel_cell) if len(frame) else frame
            frame.to_excel(writer, sheet_name=sheet, index=False)
            worksheet = writer.sheets[sheet]
            worksheet.freeze_panes = "A2"
    return target
