"""年度部门预算: income and expenditure side by side in one grid, read as lines.

The split between the sides is where the 预算支出 header begins (or, without
side headers, after the first group of period columns). On each side, cells
under a period header (全年数/上半年数/前三季度数, or a lone 金额) are amounts in
the form's money unit; the other cells name the line.

"其中: 1. 工资福利支出" is a sub-item of the last top-level line. The lines after
it stay sub-items while they are numbered ("2. …"), or, unnumbered ("其中：人员
经费" then "公用经费"), while they still fit within the parent's amount: the
first line that would make the 其中 items exceed their parent is the next
top-level line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from extract.model import Cell
from normalize import checks, labels
from normalize.model import Amount, BudgetLine, Issue, Side
from normalize.pointers import Concern, concerning
from normalize.records import provenance
from normalize.rows import Row
from normalize.text import join_text
from normalize.values import ValueParseError, fold, parse_amount

_SUB_PREFIX = re.compile(r"^其中[:：]?")
_NUMBERED = re.compile(r"^(?:\d+[.、．]|[(（]\d+[)）])")
_CN_NUMBERED = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十]+[)）])")
PERIODS = ("annual", "h1", "q3")


@dataclass(frozen=True)
class PeriodColumn:
    side: Side
    period: str
    x0: float
    x1: float

    def holds(self, cell: Cell) -> bool:
        width = max(cell.bbox[2] - cell.bbox[0], 1e-6)
        overlap = min(self.x1, cell.bbox[2]) - max(self.x0, cell.bbox[0])
        return overlap >= width / 2


def _header_keys(row: Row) -> list[tuple[str, Cell]]:
    found = []
    for cell in row.cells:
        key = labels.field_of(labels.match(cell.text, "budget"))
        if key:
            found.append((key, cell))
    return found


def _layout(rows: Sequence[Row]) -> tuple[float, list[PeriodColumn]] | None:
    """(split x, period columns) from the header rows.

    The expenditure side begins where the income side's group of period columns
    ends, i.e. before the second 全年数: that holds whether 预算支出 is printed
    over the item column too or only over the amounts. With one group of
    periods, the 预算支出 header (if any) marks the split.
    """
    expenditure_x: float | None = None
    periods: list[tuple[str, Cell]] = []
    for row in rows:
        for key, cell in _header_keys(row):
            if key == "expenditure" and expenditure_x is None:
                expenditure_x = cell.bbox[0]
            elif key in PERIODS:
                periods.append((key, cell))
    if not periods:
        return None
    periods.sort(key=lambda kc: kc[1].bbox[0])
    annual_at = [k for k, (key, _) in enumerate(periods) if key == "annual"]
    if len(annual_at) >= 2:
        split = max(cell.bbox[2] for _, cell in periods[:annual_at[1]])
    elif expenditure_x is not None:
        split = expenditure_x
    else:
        split = max(cell.bbox[2] for _, cell in periods) + 1.0
    columns = [PeriodColumn("income" if cell.bbox[2] <= split + 1.0 else "expenditure", key,
                            cell.bbox[0], cell.bbox[2]) for key, cell in periods]
    return split, columns


def item_name(text: str) -> tuple[str, bool, bool]:
    """(name, is 其中, is numbered): numbering and the 其中 prefix removed."""
    folded = fold(text)
    is_sub = bool(_SUB_PREFIX.match(folded))
    folded = _SUB_PREFIX.sub("", folded)
    numbered = bool(_NUMBERED.match(folded))
    folded = _NUMBERED.sub("", folded)
    folded = _CN_NUMBERED.sub("", folded)
    return folded, is_sub, numbered


def read_budget(rows: Sequence[Row], money_unit: str
                ) -> tuple[list[BudgetLine], list[Concern], bool]:
    """The budget lines (income first, then expenditure), issues, and whether the
    form has the 上半年/前三季度 period columns."""
    layout = _layout([r for r in rows if not r.is_line])
    if layout is None:
        return [], [], False
    split, columns = layout
    has_periods = any(c.period != "annual" for c in columns)
    issues: list[Concern] = []
    sides: dict[str, list[BudgetLine]] = {"income": [], "expenditure": []}
    parents: dict[str, BudgetLine | None] = {"income": None, "expenditure": None}
    in_sub: dict[str, bool] = {"income": False, "expenditure": False}
    sub_sums: dict[str, Decimal] = {"income": Decimal(0), "expenditure": Decimal(0)}
    for row in rows:
        if row.is_line or not row.cells or _header_keys(row):
            continue
        for side in ("income", "expenditure"):
            mine = [c for c in row.cells
                    if ((c.bbox[0] + c.bbox[2]) / 2 < split) == (side == "income")]
            amount_cells: dict[str, Cell] = {}
            name_cells: list[Cell] = []
            for cell in mine:
                col = next((p for p in columns if p.side == side and p.holds(cell)), None)
                if col is not None:
                    amount_cells.setdefault(col.period, cell)
                else:
                    name_cells.append(cell)
            printed = join_text(c.text for c in name_cells)
            if not fold(printed):
                continue
            name, is_sub, numbered = item_name(printed)
            amounts = {period: _amount(amount_cells.get(period), money_unit, name, issues)
                       for period in PERIODS}
            parent_line = parents[side]
            sub = is_sub or (in_sub[side] and parent_line is not None and (
                numbered or _fits(parent_line, sub_sums[side], amounts["annual"].value)))
            if sub and parent_line is not None:
                in_sub[side] = True
                sub_sums[side] += amounts["annual"].value or Decimal(0)
            else:
                in_sub[side], sub_sums[side] = False, Decimal(0)
            line = BudgetLine(side=side, item=name,  # type: ignore[arg-type]
                              parent=parent_line.item if sub and parent_line else None,
                              annual=amounts["annual"], h1=amounts["h1"], q3=amounts["q3"],
                              provenance=provenance(name_cells[0]))
            if line.parent is None:
                parents[side] = line
            sides[side].append(line)
    return sides["income"] + sides["expenditure"], issues, has_periods


def _fits(parent: BudgetLine, so_far: Decimal, value: Decimal | None) -> bool:
    """Would an unnumbered line after 其中 still fit within its parent's amount?"""
    total = parent.annual.value
    if total is None or value is None or item_is_total(parent.item):
        return False
    return so_far + value <= total


def item_is_total(name: str) -> bool:
    return name in ("合计", "总计")


def _amount(cell: Cell | None, money_unit: str, item: str, issues: list[Concern]) -> Amount:
    if cell is None:
        return Amount(raw="", value=None)
    found: list[Issue] = []
    try:
        value = parse_amount(cell.text, money_unit)
    except ValueParseError:
        found.append(Issue("value_unreadable",
                           f"budget line {item}: amount {cell.text!r} is not a number", cell.page))
        value = None
    else:
        found += checks.low_confidence(f"budget line {item} amount", [cell])
    amount = Amount(raw=cell.text, value=value, provenance=provenance(cell))
    issues += concerning(amount, found)
    return amount
