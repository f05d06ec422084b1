"""年度部门预算: income and expenditure side by side in one grid, read as lines with
their hierarchy.

Columns. A header row holding period labels (全年数/上半年数/前三季度数, or a lone 金额
per side) lays out the rows below it, until the next header row (a table continued on
a new page repeats its header, perhaps a point to the left). One side's periods form a
group; the expenditure side begins where a period label repeats (the second 全年数),
or at the 预算支出 label when only one side has amounts. Cells under a period label
are amounts in the form's money unit; the other cells of a side name its line. A name
cell that reaches up into the header row (the seed form's 公共财政预算拨款收入) names
the first line below.

Hierarchy (normalize/budget_items.py reads the names), decided from what the form
prints and confirmed by the arithmetic:

* 其中, or a numbering style lower than the side's top-level lines (``(1)`` under
  ``基本支出``, ``（一）`` under ``一、``), makes a line a sub-item of the top-level
  line above it; the top-level style makes it a top-level line.
* An unnumbered line right after a top-level line is its sub-item only when set in
  further (indentation, read from where each name's text starts) or when the
  classification names it a part of that line.
* An unnumbered line after numbered sub-items is not one of them (the list would go
  on numbered). After 其中 and unnumbered sub-items it is one more when it is indented like
  them, when the classification says it is a part of that parent (商品和服务支出 of
  基本支出), or, failing both, when it still fits within the parent while the parent
  is not yet made up; it is a top-level line when indented like the top-level lines,
  when it is a standard top-level item (预留机动经费 after 项目支出), or when the
  sub-items already add up to their parent. A line decided by arithmetic alone whose
  group never adds up exactly is reported (``budget_hierarchy_uncertain``); so is a line
  of zeros after sub-items that add up, which the arithmetic cannot place (it is filed
  with them, as unnumbered sub-items go on).

A row a page break cut in two is joined (normalize/stitch.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from extract.model import Cell
from normalize import budget_items, checks, labels, stitch
from normalize.budget_items import ItemName, read_name
from normalize.model import Amount, BudgetLine, Issue, Side
from normalize.pointers import Concern, concerning
from normalize.readings import choose, readings
from normalize.records import provenance
from normalize.rows import Row
from normalize.text import join_text
from normalize.values import ValueParseError, cut_between, fold, is_placeholder, parse_amount

PERIODS = ("annual", "h1", "q3")
SIDES: tuple[Side, Side] = ("income", "expenditure")
_EXACT = Decimal("0.000001")


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


@dataclass(frozen=True)
class Layout:
    split: float                       # x where the expenditure side begins
    columns: tuple[PeriodColumn, ...]

    def side_of(self, cell: Cell) -> Side:
        return "income" if (cell.bbox[0] + cell.bbox[2]) / 2 < self.split else "expenditure"

    def period_of(self, cell: Cell, side: Side) -> str | None:
        return next((c.period for c in self.columns if c.side == side and c.holds(cell)), None)


def _key(cell: Cell) -> str | None:
    return labels.field_of(labels.match(cell.text, "budget"))


def is_header(row: Row, lay: Layout | None = None) -> bool:
    """A row of period labels, or of the 收入/支出 titles over them. Once the columns are
    known, a title must reach over a period column: 收入 alone in a name column is the
    rest of a name a page break cut (一、公共财政预算拨款 / 收入)."""
    keys = [(_key(c), c) for c in row.cells]
    if any(key in PERIODS for key, _ in keys):
        return True
    titles = [c for key, c in keys if key in ("income", "expenditure")]
    return bool(titles) and (lay is None or any(
        min(col.x1, c.bbox[2]) - max(col.x0, c.bbox[0]) > 0 for c in titles for col in lay.columns))


def layout_of(header: Sequence[Row]) -> Layout | None:
    """Columns from a block of header rows (one row, or two with merged cells)."""
    periods = sorted(((k, c) for row in header for c in row.cells if (k := _key(c)) in PERIODS),
                     key=lambda kc: kc[1].bbox[0])
    if not periods:
        return None
    groups: list[list[tuple[str, Cell]]] = [[]]
    for key, cell in periods:
        if any(k == key for k, _ in groups[-1]):
            groups.append([])
        groups[-1].append((key, cell))
    if len(groups) >= 2:
        split = max(c.bbox[2] for _, c in groups[0]) + 0.5
    else:
        spent = [c.bbox[0] for row in header for c in row.cells if _key(c) == "expenditure"]
        split = min(spent) if spent else max(c.bbox[2] for _, c in groups[0]) + 0.5
    columns = tuple(PeriodColumn("income" if (c.bbox[0] + c.bbox[2]) / 2 < split else "expenditure",
                                 k, c.bbox[0], c.bbox[2]) for k, c in periods)
    return Layout(split, columns)


@dataclass
class _Line:
    """One side of a printed line while it is read: name cells, amount cells."""

    side: Side
    names: list[Cell] = field(default_factory=list)
    amounts: dict[str, list[Cell]] = field(default_factory=dict)

    def texts(self) -> dict[str, str]:
        out = {"name": join_text(c.text for c in self.names)}
        for period in PERIODS:
            out[period] = join_text(c.text for c in self.amounts.get(period, []))
        return out

    def extend(self, other: _Line) -> None:
        self.names += other.names
        for period, cells in other.amounts.items():
            self.amounts.setdefault(period, []).extend(cells)


def _split_row(row: Row, lay: Layout, carried: dict[Side, list[Cell]]) -> dict[Side, _Line]:
    parts = {side: _Line(side) for side in SIDES}
    for cell in row.cells:
        side = lay.side_of(cell)
        period = lay.period_of(cell, side)
        if period is None:
            parts[side].names.append(cell)
        else:
            parts[side].amounts.setdefault(period, []).append(cell)
    for side in SIDES:  # a name cell reaching up into the header row names this line
        if not carried.get(side):
            continue
        name = join_text(c.text for c in parts[side].names)
        if not fold(name):
            parts[side].names = carried.pop(side)
        elif not budget_items.complete(name) and budget_items.complete(
                join_text([*(c.text for c in carried[side]), name])):
            # its first line printed in the header row, the rest on this row (a page break
            # cut the row: 公共财政预算拨款收 / 入): one name, as the classification knows it
            parts[side].names = carried.pop(side) + parts[side].names
    return parts


def _amount_whole(text: str) -> bool:
    try:
        return parse_amount(text, "万元") is not None
    except ValueParseError:
        return False


FIELDS = {
    f"{side}.{name}": stitch.Field(
        pair=stitch.grammar_pair(budget_items.complete,
                                 lambda t: bool(read_name(t).style or read_name(t).qizhong)),
        key=True) if name == "name" else stitch.Field(pair=stitch.grammar_pair(_amount_whole,
                                                                               cut=cut_between))
    for side in SIDES for name in ("name", *PERIODS)
}


def _part(parts: dict[Side, _Line]) -> stitch.Part:
    """The row as a page break is judged (normalize/stitch.py)."""
    cells = {}
    for side in SIDES:
        if parts[side].names:
            cells[f"{side}.name"] = parts[side].names[-1]
        cells |= {f"{side}.{p}": c[-1] for p, c in parts[side].amounts.items() if c}
    return stitch.part(_texts(parts), cells)


def _texts(parts: dict[Side, _Line]) -> dict[str, str]:
    return {f"{side}.{k}": t for side in SIDES for k, t in parts[side].texts().items()}


def read_rows(rows: Sequence[Row]) -> tuple[list[dict[Side, _Line]], list[Concern], bool]:
    """Data rows split into their two sides, rows cut by page breaks joined; issues
    for doubtful joins; whether the period columns are there."""
    lay: Layout | None = None
    header: list[Row] = []
    printed: list[dict[Side, _Line]] = []
    concerns: list[Concern] = []
    carried: dict[Side, list[Cell]] = {}
    after_break = False
    has_periods = False
    for row in rows:
        if row.is_line or not (row.cells or row.covering):
            continue
        after_break = after_break or row.continues
        if is_header(row, lay):
            header.append(row)
            lay = layout_of(header) or lay
            has_periods = has_periods or any(c.period != "annual" for c in (lay.columns if lay else ()))
            carried = {}
            for cell in row.cells:  # a name in the header row names the line below it (its
                # cell reaches down there, perhaps across a page break); a header repeated
                # on the next page repeats that name but names nothing there
                if lay and not printed and not _key(cell) and fold(cell.text) \
                        and lay.period_of(cell, lay.side_of(cell)) is None \
                        and labels.match(cell.text, "section") is None:
                    carried[lay.side_of(cell)] = [cell]
            continue
        header = []
        if lay is None:
            continue
        parts = _split_row(row, lay, carried)
        carried = {}  # it names the line right below the header, or none
        texts = _texts(parts)
        if not any(t.strip() for t in texts.values()):
            continue
        verdict = stitch.decide(_part(printed[-1]), _part(parts), FIELDS) \
            if after_break and printed else stitch.Join.NEW
        after_break = False
        if verdict in (stitch.Join.DOUBT, stitch.Join.APART):
            concerns.append(Concern(Issue("row_join_uncertain", f"budget: {stitch.DOUBTS[verdict]}",
                                          row.page), printed[-1] if verdict is stitch.Join.DOUBT
                                    else parts, None))
        if verdict in (stitch.Join.JOIN, stitch.Join.DOUBT):
            for side in SIDES:
                printed[-1][side].extend(parts[side])
            continue
        printed.append(parts)
    return printed, concerns, has_periods


@dataclass
class _Read:
    """A line with its name read, before the hierarchy is decided."""

    item: ItemName
    part: _Line
    amounts: dict[str, Amount]
    indent: float | None
    total: bool
    parent: int | None = None
    by_sums: bool = False     # a sub-item on arithmetic alone
    zeros: bool = False       # a sub-item of zeros, that arithmetic cannot place

    def value(self, period: str) -> Decimal | None:
        return self.amounts[period].value


# an amount (a decimal, or a run of five digits) inside a line's name: no line item is named
# with one, but cells that run together put the row's amounts into its name
_FIGURES = re.compile(r"\d+\.\d+|\d{5,}")


def read_budget(rows: Sequence[Row], money_unit: str
                ) -> tuple[list[BudgetLine], list[Concern], bool]:
    """The budget lines (income first, then expenditure), issues, and whether the
    form has the 上半年/前三季度 period columns."""
    printed, concerns, has_periods = read_rows(rows)
    lines: list[BudgetLine] = []
    # doubts about a joined row or a decided parent concern the line they end up in
    # (keyed by id, holding the object itself: an id outlives nothing it was not kept with)
    subject: dict[int, tuple[object, BudgetLine, str | None]] = {}
    for side in SIDES:
        read: list[_Read] = []
        for parts in printed:
            part = parts[side]
            name = known_reading(part.names)
            if not fold(name) or (is_placeholder(fold(name)) and not any(
                    c.text.strip() for cells in part.amounts.values() for c in cells)):
                continue  # a blank name, or a dash in a row with nothing else: no line
            item = read_name(name)
            amounts = {p: _amount(part.amounts.get(p, []), money_unit, item.name, concerns)
                       for p in PERIODS}
            read.append(_Read(item, part, amounts, _indent(part.names), budget_items.is_total(name)))
            if any(c.source == "ocr" for c in part.names) and _FIGURES.search(fold(name)):
                concerns.append(Concern(Issue(
                    "name_unreadable", f"budget line name {name!r} holds figures: cells of the row "
                    "may have run together where a rule was not seen; check the row",
                    part.names[0].page), part, None))
        concerns += _hierarchy(read)
        for r in read:
            line = BudgetLine(side=side, item=r.item.name,
                              parent=None if r.parent is None else read[r.parent].item.name,
                              annual=r.amounts["annual"], h1=r.amounts["h1"], q3=r.amounts["q3"],
                              provenance=provenance(r.part.names[0]))
            subject[id(r)] = (r, line, "parent")
            subject[id(r.part)] = (r.part, line, None)  # the whole row is in question
            owner = next(parts for parts in printed if parts[side] is r.part)
            subject.setdefault(id(owner), (owner, line, "item"))
            lines.append(line)
    return lines, [Concern(c.issue, *subject[id(c.subject)][1:])
                   if subject.get(id(c.subject), (None,))[0] is c.subject else c
                   for c in concerns], has_periods


def known_reading(cells: Sequence[Cell]) -> str:
    """A line name's text: of a scan's readings (normalize/readings.py), the first that
    names a line of the classification where the likeliest does not (项且支出 read where
    the ink may also say 项目支出); a name outside it is kept as read."""
    texts = readings(cells)
    if any(c.source == "ocr" for c in cells):
        # a scan reads the one-stroke 一 as a dash of its shape (——般公共预算拨款收入): a
        # reading that names a line of the classification with it read as 一 is that line
        texts += [one for t in texts if (one := _DASH_FOR_ONE.sub("一", t)) != t]
    if len(texts) > 1 and not budget_items.complete(texts[0]):
        return next((t for t in texts[1:] if budget_items.complete(t)), texts[0])
    return texts[0]


_DASH_FOR_ONE = re.compile(rf"(?:[{re.escape(labels.ONE_STROKES)}]\s*)+(?=[\u4e00-\u9fff])")


def _indent(cells: Sequence[Cell]) -> float | None:
    """How far the name's text starts from its cell's left edge."""
    boxes = [(c.text_bbox[0] - c.bbox[0], c.text_bbox[3] - c.text_bbox[1])
             for c in cells if c.text_bbox is not None]
    return boxes[0][0] if boxes else None


def _indent_levels(read: Sequence[_Read]) -> list[int | None]:
    """0 for a line set flush like the side's top-level lines, 1 for one set in by half
    a character or more, None when the side's names are not set flush (centred text
    says nothing by where it starts)."""
    named = [(k, r.indent) for k, r in enumerate(read) if not r.total and r.indent is not None]
    if len(named) < 2:
        return [None] * len(read)
    least = min(i for _, i in named)
    em = min((c.text_bbox[3] - c.text_bbox[1] for r in read for c in r.part.names
              if c.text_bbox is not None), default=8.0)
    # set flush, the names start at a few places (the edge, an indent or two); centred,
    # they start wherever their length puts them
    starts: list[float] = []
    for i in sorted(i for _, i in named):
        if not starts or i - starts[-1] >= 0.3 * em:
            starts.append(i)
    flush = sum(1 for _, i in named if i - least < 0.3 * em)
    if len(starts) > 3 or flush < 2:
        return [None] * len(read)
    levels: list[int | None] = [None] * len(read)
    for k, i in named:  # (a spreadsheet's indent step is about two thirds of a character)
        levels[k] = 0 if i - least < 0.3 * em else 1 if i - least >= 0.5 * em else None
    if 1 not in levels:
        return [None] * len(read)  # the side sets every name flush: indentation says nothing
    return levels


def _hierarchy(read: list[_Read]) -> list[Concern]:
    """Decide each line's parent (see the module docstring); doubts as concerns."""
    indents = _indent_levels(read)
    tops = [r for r in read if not r.total]
    top_rank = tops[0].item.rank if tops else -1
    current: int | None = None      # the top-level line sub-items would belong to
    group: list[int] = []           # its sub-items so far
    for k, r in enumerate(read):
        if r.total:
            current, group = None, []
            continue
        child = _is_child(r, k, read, indents, top_rank, current, group)
        if child and current is not None:
            r.parent = current
            r.by_sums = child == "sums"
            r.zeros = child == "zeros"
            group.append(k)
        else:
            current, group = k, []
    concerns = []
    for r in read:
        if r.by_sums and not _made_up(read, r.parent):
            concerns.append(Concern(Issue(
                "budget_hierarchy_uncertain",
                f"{r.item.name}: filed under {read[r.parent].item.name} because its amount fits "
                f"there, but nothing printed says so and the 其中 items do not add up to it",
                r.part.names[0].page), r, None))
        elif r.zeros:
            concerns.append(Concern(Issue(
                "budget_hierarchy_uncertain",
                f"{r.item.name}: filed under {read[r.parent].item.name} after its other items, "
                f"but its amounts are zero, so the sums cannot say whether it is one of them",
                r.part.names[0].page), r, None))
    return concerns


def _is_child(r: _Read, k: int, read: list[_Read], indents: list[int | None], top_rank: int,
              current: int | None, group: list[int]) -> str | bool:
    """Is line ``k`` a sub-item of ``current``? "marked"/"indented"/"known"/"sums" say
    on what evidence; False for a top-level line."""
    item = r.item
    if current is None:
        return False
    # (一、 is the outline's highest level, no line's sub-item: under a first line whose
    # 一、 the scan lost, 二、 and 三、 are its siblings, not its 其中 items)
    if item.qizhong or (item.style is not None and item.rank > max(top_rank, 0)):
        return "marked"
    if item.style is not None:
        return False  # numbered like the top-level lines
    if any(read[i].item.style for i in group):
        return False  # a numbered list of sub-items goes on with a number
    level = indents[k]
    if group and {indents[i] for i in group} == {1}:
        # the group is set in: a line set in like it is one more, a flush one is not
        if level is not None:
            return "indented" if level == 1 else False
    elif not group and level == 1 and indents[current] == 0:
        return "indented"
    said = budget_items.standing(item.name, read[current].item.name)
    if said is not None:
        return "known" if said == "sub" else False
    if not group:
        return False  # nothing opened a group
    if _made_up(read, current, group):
        # complete: a line of zeros may still be one more (the sums cannot tell); any
        # other line is not
        zeros = r.value("annual") is not None and not any(r.value(p) for p in PERIODS)
        return "zeros" if zeros else False
    return "sums" if _fits(read, current, group + [k]) else False


def _sum(read: list[_Read], group: Sequence[int], period: str) -> Decimal | None:
    values = [read[i].value(period) for i in group if read[i].value(period) is not None]
    return sum(values, Decimal(0)) if values else None


def _fits(read: list[_Read], parent: int, group: Sequence[int]) -> bool:
    """Do the sub-items stay within their parent in every period?"""
    for period in PERIODS:
        total, summed = read[parent].value(period), _sum(read, group, period)
        if summed is not None and (total is None or summed - total >= _EXACT):
            return False
    return _sum(read, group, "annual") is not None


def _made_up(read: list[_Read], parent: int | None, group: Sequence[int] | None = None) -> bool:
    """Do the sub-items (by default: all lines filed under ``parent``) add up to it exactly?"""
    if parent is None:
        return False
    if group is None:
        group = [k for k, r in enumerate(read) if r.parent == parent]
    for period in PERIODS:
        total, summed = read[parent].value(period), _sum(read, group, period)
        if (total is None) != (summed is None) or (total is not None and abs(total - summed) >= _EXACT):
            return False
    return True


def _amount(cells: Sequence[Cell], money_unit: str, item: str, concerns: list[Concern]) -> Amount:
    if not cells:
        return Amount(raw="", value=None)
    found: list[Issue] = []
    try:
        text, value, found = choose(cells, lambda t: parse_amount(t, money_unit),
                                    f"budget line {item} amount")
    except ValueParseError:
        text = join_text(c.text for c in cells)
        found.append(Issue("value_unreadable",
                           f"budget line {item}: amount {text!r} is not a number", cells[0].page))
        value = None
    else:
        found += checks.low_confidence(f"budget line {item} amount", list(cells))
    amount = Amount(raw=text, value=value, provenance=provenance(cells[0]))
    concerns += concerning(amount, found)
    return amount


def item_is_total(name: str) -> bool:
    return budget_items.is_total(name)
