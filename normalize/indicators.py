"""绩效目标: one indicator per 三级指标 row, 一级/二级 filled down.

一级 and 二级 are merged cells spanning many rows; covered slots mean "same as
above", and so does a blank cell on the first row after a page break (the rest
of a merged cell the break cut). A blank cell anywhere else opens a new group
whose name is not printed there: spreadsheet producers centre a merged cell's
text in its whole range, so when the range crosses a page break the name is
printed on the next page, in the continuing cell. That name is taken back for
the rows above it; a group that never gets a name keeps the one before it.

A row with no 三级指标 of its own (blank, or covered from above) is the rest of
the previous indicator cut by a page break; its cells are appended.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from extract.model import Cell
from normalize import checks, frameworks, labels, stitch
from normalize.columns import (
    Column,
    covered,
    header_columns,
    names_all,
    place,
    refined,
    rest_of_header,
)
from normalize.model import Indicator, Issue, Value, pointer
from normalize.pointers import Concern, concerning
from normalize.readings import choose, figure_doubts, readings, value_spellings
from normalize.records import provenance
from normalize.rows import Row
from normalize.text import clean_text, join_text
from normalize.values import NUMBER, cut_between, fold, parse_value

VALUE_FIELDS = ("target", "annual", "h1", "q3")


@dataclass
class _Group:
    """One merged 一级 or 二级 cell; ``name`` None while it is not yet printed."""

    name: str | None
    before: _Group | None = None
    cell: Cell | None = None  # where the name is printed

    def named(self) -> _Group | None:
        """The group whose printed name this one goes by (itself, or one it goes on from)."""
        group: _Group | None = self
        while group is not None and group.name is None:
            group = group.before
        return group

    def resolved(self) -> str:
        group = self.named()
        return group.name if group is not None and group.name is not None else ""


@dataclass
class _Pending:
    level1: _Group
    level2: _Group
    cells: dict[str, list[Cell]] = field(default_factory=dict)

    def text(self, name: str) -> str:
        return join_text(c.text for c in self.cells.get(name, []))


def _value(pending: _Pending, name: str, issues: list[Concern]) -> Value:
    cells = pending.cells.get(name, [])
    unit, value_type = pending.text("unit"), pending.text("value_type")

    def parse(text: str) -> Value:
        return with_columns(parse_value(text), text, unit, value_type)

    if not cells:
        return parse(pending.text(name))
    scanned = any(c.source == "ocr" for c in cells)
    text, parsed, doubts = choose(cells, parse, f"indicator {pending.text('level3')} {name}",
                                  meaning, value_spellings if scanned else None)
    if doubts and fold(text) in _sure_elsewhere(pending, name):
        doubts = []  # the same print, read without doubt in another period: its own ink agrees
    doubts += column_doubts(pending, text, parsed, f"indicator {pending.text('level3')} {name}")
    confidence = min(c.confidence for c in cells)
    value = Value(raw=parsed.raw, kind=parsed.kind, value=parsed.value, unit=parsed.unit,
                  comparator=parsed.comparator, direction=parsed.direction,
                  confidence=confidence, provenance=provenance(cells[0]))
    what = f"indicator {pending.text('level3')} {name}"
    issues += concerning(value, doubts + checks.low_confidence(what, cells)
                         + checks.misread_mark(what, cells, parsed.raw, parsed.kind))
    return value


def _sure_elsewhere(pending: _Pending, name: str) -> set[str]:
    """The texts of the row's other value cells that a scan read with no doubt (no
    other reading, no weak character): a period that prints the same text as a value in
    doubt prints the same glyphs, in the same face, and their ink was read for sure."""
    out = set()
    for other in VALUE_FIELDS:
        cells = pending.cells.get(other, [])
        if other != name and cells and all(c.source == "ocr" and not c.alternatives
                                           and c.confidence >= checks.LOW_CONFIDENCE for c in cells):
            out.add(fold(join_text(c.text for c in cells)))
    return out


def column_doubts(pending: _Pending, text: str, parsed: Value, what: str) -> list[Issue]:
    """``reading_ambiguous`` on a value whose 计量单位 or 指标值类型 cell may also say
    something that changes it: the value is read with those cells ("28.43" + "%"), so
    a sign the scan is unsure of there (‰ or %, ≥ or >) is doubt about the value too."""
    issues = []
    for name, label in (("unit", "计量单位"), ("value_type", "指标值类型")):
        cells = pending.cells.get(name, [])
        for other in readings(cells)[1:]:
            columns = {"unit": pending.text("unit"), "value_type": pending.text("value_type"),
                       name: other}
            again = with_columns(parse_value(text), text, columns["unit"], columns["value_type"])
            if again.kind == parsed.kind and meaning(again) != meaning(parsed):
                issues.append(Issue(
                    "reading_ambiguous", f"{what}: read {text!r} with {label} "
                    f"{pending.text(name)!r}, but the scan may also say {other!r} there; check "
                    "it on the page", next(c.page for c in cells if c.alternatives)))
                break
    return issues


def mixed_signs(item: _Pending, values: dict[str, Value]) -> list[Concern]:
    """``reading_ambiguous`` on each scanned value of one indicator whose periods are in %
    and in ‰: an indicator is measured in one unit across its periods, and a ‰ read as %
    (or back) is the scan's likeliest misreading, the ink of the two signs differing by
    one small ring. Which is misread the count does not say (a FangSong ‰ read as % in
    most periods), so each is pointed at."""
    signs = {name: _sign(v.raw) for name, v in values.items()
             if v.kind == "number" and _sign(v.raw)
             and any(c.source == "ocr" for c in item.cells.get(name, []))}
    counts = Counter(signs.values())
    if len(counts) < 2:
        return []
    what = f"indicator {item.text('level3')}"
    return [Concern(Issue("reading_ambiguous", f"{what} {name}: read {values[name].raw!r} in "
                          f"{sign}, where another period is in "
                          f"{'‰' if sign == '%' else '%'}; check the signs on the page",
                          item.cells[name][0].page), values[name])
            for name, sign in signs.items()]


def mixed_separators(item: _Pending, values: dict[str, Value]) -> list[Concern]:
    """``reading_ambiguous`` on the scanned values of one indicator that print the same
    figure but for a thousands comma read where another period has a point (约为19,302 /
    约为19.302), each of them (which is misread the count does not say): no form means
    1000 times more in one period by the same digits, and a comma and a point differ by
    a tail a scan may lose or add."""
    def key(value: Value) -> str:
        return fold(value.raw).replace(",", ".")

    scanned = {name: v for name, v in values.items()
               if v.kind == "number" and any(c.source == "ocr" for c in item.cells.get(name, []))}
    out = []
    for same in {key(v) for v in scanned.values()}:
        group = {name: fold(v.raw) for name, v in scanned.items() if key(v) == same}
        counts = Counter(group.values())
        if len(counts) < 2:
            continue
        out += [Concern(Issue("reading_ambiguous", f"indicator {item.text('level3')} {name}: read "
                              f"{values[name].raw!r}, where another period prints the same "
                              f"figure with {'a point' if ',' in raw else 'a comma'}; check it on "
                              f"the page", item.cells[name][0].page), values[name])
                for name, raw in group.items()]
    return out


def _sign(raw: str) -> str | None:
    """The rate sign a value is printed with, if any."""
    folded = fold(raw)
    return "‰" if "‰" in folded else "%" if "%" in folded else None


def meaning(value: Value) -> tuple:
    """What a value says, apart from how it was spelled (a text value is its text)."""
    return (value.kind, value.value, value.unit, value.comparator, value.direction,
            value.raw if value.kind == "text" else None)


def with_columns(parsed: Value, text: str, unit: str, value_type: str) -> Value:
    """A value read together with its row's 计量单位 and 指标值类型 cells.

    A number printed without a unit takes the unit column's ("95" + "%" is 95 %,
    "9" + "万人" is 90000 人); a number printed without a comparator takes the type
    column's ("≥" + "95%" is >= 95). ``raw`` stays the value cell as printed.
    """
    if parsed.kind != "number":
        return parsed
    prefix = ""
    suffix = unit_suffix(unit) if parsed.unit is None else ""
    stated = parse_value(value_type.strip() + "1") if value_type.strip() else None
    if stated is not None and stated.kind == "number" and stated.comparator not in (None, "=") \
            and parse_value(text).comparator == "=" and not text.strip().startswith(("=", "＝")):
        prefix = value_type.strip()
    # both columns, else the comparator alone (a unit cell that does not parse must
    # not take the 指标值类型 down with it); the unit goes right after the number, before
    # words that follow it ("21及以下" + "万米" is 21万米及以下)
    for combined in (prefix + after_number(text, suffix), prefix + text):
        if combined == text:
            break
        again = parse_value(combined)
        if again.kind == "number":
            return Value(raw=parsed.raw, kind="number", value=again.value, unit=again.unit,
                         comparator=again.comparator,
                         direction=again.direction or parsed.direction)
    return parsed


def after_number(text: str, unit: str) -> str:
    """``text`` with ``unit`` put right after its (first) number."""
    if not unit:
        return text
    folded = fold(text)
    m = NUMBER.search(folded)
    return folded[:m.end()] + unit + folded[m.end():] if m else text + unit


def unit_suffix(unit: str) -> str:
    """What a 计量单位 cell adds after a number: nothing for a blank or a dash
    ("—", "/", "一"), nor for a cell that is itself a number ("1%" would make
    "100" 1001 %). A point or comma after it is no part of it (a speck a scan read
    after a lone %: "%." left 83及以上 without its unit, in silence)."""
    unit = unit.strip().rstrip(".。·,，、").strip()
    if parse_value(unit).kind == "empty" or unit[:1].isdigit():
        return ""
    return unit


def _unreadable_unit(item: _Pending) -> list[Issue]:
    """``value_unreadable`` for an OCR'd 计量单位 cell that is not a unit ("·%x", or a
    figure: a speck read as 9 before a lone ‰): its row's values are kept without it,
    so a person must look."""
    cells = item.cells.get("unit", [])
    unit = item.text("unit").strip()
    if not any(c.source == "ocr" for c in cells) or parse_value(unit).kind == "empty" \
            or (unit_suffix(unit) and parse_value("1" + unit).kind == "number"):
        return []
    return [Issue("value_unreadable", f"indicator {item.text('level3')}: 计量单位 {unit!r} "
                  "is not a unit; its values are kept without one", cells[0].page)]


def _unitless_rate(item: _Pending, indicator: Indicator) -> list[Issue]:
    """``value_unreadable`` for a rate (its name ends in 率) whose scanned 计量单位 cell
    was read as nothing while its figures carry no unit of their own: a rate is given
    in % or ‰, and a thin sign alone in its cell is the scan's faintest ink (a Song %
    at 150-200 dpi lost whole). Rates a form gives as bare figures are pointed at too:
    which it is, only the page shows."""
    cells = item.cells.get("unit", [])
    if not cells or not all(c.source == "ocr" for c in cells) or item.text("unit").strip() \
            or not clean_text(item.text("level3")).endswith("率"):
        return []
    values = [v for v in (indicator.target, indicator.annual, indicator.h1, indicator.q3)
              if v is not None and v.kind == "number"]
    if not values or any(v.unit for v in values):
        return []
    return [Issue("value_unreadable", f"indicator {item.text('level3')}: 计量单位 read as "
                  "nothing beside a rate's figures (a faint % or ‰ lost?); check it on the "
                  "page", cells[0].page)]


def _unknown_group(group: _Group) -> str | None:
    """The name a scan read for the group, where no framework has it (frameworks.py)."""
    named = group.named()
    if named is None or named.cell is None or named.cell.source != "ocr" or named.name is None:
        return None
    name = _name(named.name, True)
    return None if frameworks.known(name) else name


def _name(text: str, scanned: bool) -> str:
    """An indicator's name as read; on a scan without a final 。, a speck after it: a
    name is no sentence."""
    return text[:-1].rstrip() if scanned and text.endswith("。") and len(text) > 1 else text


def _unreadable_type(item: _Pending) -> list[Issue]:
    """``value_unreadable`` for an OCR'd 指标值类型 cell holding a Latin letter that says
    no comparator ("V": a faint ≥ misread): a type is words (定量) or a comparator, and
    the row's values are read without it, so a person must look."""
    cells = item.cells.get("value_type", [])
    kind = item.text("value_type").strip()
    if not any(c.source == "ocr" for c in cells) or not re.search(r"[A-Za-z]", kind) \
            or parse_value(kind + "1").comparator not in (None, "="):
        return []
    return [Issue("value_unreadable", f"indicator {item.text('level3')}: 指标值类型 {kind!r} is "
                  "no type or comparator; its values are read without it", cells[0].page)]


def _doubtful_cells(pending: Sequence[_Pending], read: Sequence[Indicator]) -> list[Concern]:
    """Issues for OCR'd cells that are not values but change them: a misread
    二级指标 files every indicator under it in the wrong group (a merged name is
    in doubt at every indicator it names: read weakly, or a name no framework has); a
    misread 计量单位 or 指标值类型 changes every value of its row (so the row is pointed
    at)."""
    issues: list[Concern] = []
    for item, indicator in zip(pending, read, strict=True):
        for key, level, group in (("level1", "一级指标", item.level1),
                                  ("level2", "二级指标", item.level2)):
            named = group.named()
            if named is None or named.cell is None:
                continue
            # at every indicator the name files: each is in the group it says; read sure,
            # a name no framework has is in doubt too
            weak = checks.low_confidence(f"{level} name", [named.cell])
            unknown = None if weak else _unknown_group(group)
            if unknown is not None:
                weak = [Issue("reading_ambiguous", f"{level} name read {unknown!r}, which no "
                              "indicator framework has (misread?); check it on the page",
                              named.cell.page)]
            issues += concerning(indicator, weak, key)
        issues += concerning(indicator, checks.low_confidence(
            "三级指标 name", item.cells.get("level3", [])), "level3")
        for name, label in (("unit", "计量单位"), ("value_type", "指标值类型")):
            issues += concerning(indicator, checks.low_confidence(
                f"indicator {item.text('level3')} {label}", item.cells.get(name, [])))
        issues += concerning(indicator, _unreadable_unit(item) + _unreadable_type(item)
                             + _unitless_rate(item, indicator))
        issues += concerning(indicator, figure_doubts(
            item.cells.get("basis", []), f"indicator {item.text('level3')} basis"), "basis")
    return issues


def _next_group(current: _Group, cell: Cell | None, continues: bool) -> _Group:
    """The 一级/二级 group of a row, given the cell starting in that column (None
    when a merged cell from above covers it)."""
    if cell is None:
        return current
    text = clean_text(cell.text)
    if continues:
        if text and (current.name is None or (text != current.name and text.startswith(current.name))):
            # the name of a group opened blank on the last page, or printed whole where
            # the last page cut it (产出指 / 产出指标: a spreadsheet prints a merged cell's
            # text on each page it crosses, clipped)
            current.name = text
            current.cell = cell
            return current
        if not text:
            return current
    if text:
        return _Group(text, before=current, cell=cell)
    return _Group(None, before=current)


def _whole_value(text: str) -> bool:
    """A cell that is a value by itself (a dash for "not applicable" is one too)."""
    return parse_value(text).kind in ("number", "direction", "empty")


def _whole_type(text: str) -> bool:
    """A 指标值类型 cell by itself: a comparator, or a word (定量, 正向). It is a line or
    two at most, so a row cut by a break prints it on one side only; printed on both,
    the two are two rows' (≤ above, 定性 below)."""
    folded = fold(text)
    return bool(re.fullmatch(r"[<>=≤≥≦≧]{1,2}|[\u4e00-\u9fff]{2,4}", folded))


# How a row cut by a page break is told from a new one (normalize/stitch.py): the
# 三级指标 names the row; a value is whole or not; 依据 is prose; a 指标值类型 is whole.
FIELDS = {"level3": stitch.Field(key=True), "basis": stitch.Field(pair=stitch.prose_pair),
          "value_type": stitch.Field(pair=stitch.grammar_pair(_whole_type)),
          **{name: stitch.Field(pair=stitch.grammar_pair(_whole_value, cut=cut_between))
             for name in VALUE_FIELDS}}


def _period_under_title(above: Cell, cell: Cell) -> str | None:
    """Under a title of periods (年度目标值分解), a period by its name alone (全年)."""
    if labels.match(above.text, "indicator") != "indicator.periods":
        return None
    return labels.match(cell.text, "indicator") or labels.match(cell.text, "period")


def _names_a_group(placed: dict[str, Cell], groups: dict[str, _Group], above: stitch.Part) -> bool:
    """Does the row print a 一级/二级 name other than the group it would continue? The
    rest of a row cut by a page break does not: the merged cell goes on blank or with
    its own name again, or prints the name of a group it opened blank; only a group
    name printed in the row above the break itself (``above``), its last line full, may
    go on with the rest of its name."""
    def may_go_on(group: _Group) -> bool:
        return group.cell is not None and id(group.cell) in above.cells \
            and not stitch.stops_short(group.cell)

    return any(clean_text(placed[level].text) not in ("", groups[level].resolved())
               and groups[level].name is not None
               and not may_go_on(groups[level]) for level in ("level1", "level2") if level in placed)


def _add(item: _Pending, placed: dict[str, Cell]) -> None:
    """Add a row's cells to an indicator. A 一级/二级 name in it names the indicator's
    group if nothing has yet: the name of a merged cell is printed in the middle of its
    rows, which a page break may put in the rest of a cut row."""
    for name, cell in placed.items():
        if name not in ("level1", "level2"):
            item.cells.setdefault(name, []).append(cell)
    for level, group in (("level1", item.level1), ("level2", item.level2)):
        text = clean_text(placed[level].text) if level in placed else ""
        if text and group.name is None:
            group.name, group.cell = text, placed[level]


def _opens_groups(placed: dict[str, Cell], groups: dict[str, _Group]) -> bool:
    """Open the groups a row names when it holds nothing but 一级/二级 names other than
    the groups' own: the top of a merged cell whose rows follow (a spreadsheet printed
    质量 in a row of its own at the foot of a page, its 三级指标 on the next). Taken for
    the rest of the indicator above, the name was lost, and the rows below went on in
    the group before in silence."""
    names = {level: clean_text(placed[level].text) for level in groups if level in placed}
    if any(clean_text(c.text) for name, c in placed.items() if name not in groups) \
            or not any(text and text != groups[level].resolved() for level, text in names.items()):
        return False
    for level, text in names.items():
        if text and groups[level].name is None:
            # a group opened blank above (its merged cell's name centred lower down, here
            # in a row of its own): this names it, as the rest of a cut row would (``_add``)
            groups[level].name, groups[level].cell = text, placed[level]
        else:
            groups[level] = _next_group(groups[level], placed[level], False)
    return True


def _go_on(groups: dict[str, _Group], placed: dict[str, Cell]) -> None:
    """The rest of a 一级/二级 name a page break cut, on the rest of its row (生态效益 /
    指标): the row was joined, so the name above may go on (``_names_a_group``)."""
    for level, group in groups.items():
        text = clean_text(placed[level].text) if level in placed else ""
        if text and group.name and group.cell is not None and text != group.name:
            group.name = text if text.startswith(group.name) else join_text((group.name, text))


def _part(placed: dict[str, Cell]) -> stitch.Part:
    """The row as a page break is judged: 一级/二级 are merged cells, not the row's own; a
    value is judged with the row's 计量单位, as it is read (a number whose unit stands
    in that column is whole: 3861 above 合格 is not 3861合格)."""
    mine = {name: cell for name, cell in placed.items() if name not in ("level1", "level2")}
    unit = unit_suffix(placed["unit"].text) if "unit" in placed else ""
    texts = {name: _with_unit(cell.text, unit) if name in VALUE_FIELDS else cell.text
             for name, cell in mine.items()}
    return stitch.part(texts, {**mine, **{n: placed[n] for n in ("level1", "level2") if n in placed}},
                       {name: cell.text for name, cell in mine.items() if texts[name] != cell.text},
                       unit)


def _with_unit(text: str, unit: str) -> str:
    """A value with its row's unit, where the two make a number; else as printed (the
    part of a value a page break cut, "19,21" above "8", is no number with its unit)."""
    if not unit or not text.strip():
        return text
    joined = after_number(text, unit)
    return joined if parse_value(joined).kind == "number" else text


def read_indicators(rows: Sequence[Row]) -> tuple[list[Indicator], list[Concern], bool]:
    """Indicators in form order, issues, and whether period columns exist."""
    columns: list[Column] = []
    pending: list[_Pending] = []
    groups = {"level1": _Group(""), "level2": _Group("")}
    after_break = False
    rows_of = stitch.Stitcher(FIELDS, pending, _add)
    in_header = False
    header: list[Cell] = []       # the cells of the header rows just read
    unplaced: list[Cell] = []     # text under no column the header names
    for row in rows:
        if row.is_line or not row.cells:
            continue
        after_break = after_break or row.continues
        found = header_columns(row, "indicator")
        if in_header and not names_all(row, found):
            found = rest_of_header(header, row, "indicator", _period_under_title) or found
        if found and (sum(1 for c in found if c.field in ("level1", "level2", "level3")) >= 2
                      or names_all(row, found)):
            # a header row, or a part of one: the second row of a two-row header (全年值 |
            # 上半年值 | 前三季度值 under a spanning 年度目标值分解), or the rest of a header
            # row a page break cut (its labels centred, some above the break, some below)
            # refines the columns of the header rows right before it
            found = [c for c in found if c.field != "periods"]
            columns = refined(columns, found) if in_header else found
            header = list(row.cells) + (header if in_header else [])
            in_header = True
            continue
        in_header = False
        if not columns:
            continue
        placed = place(row.cells, columns)
        unplaced += [c for c in row.cells if c.text.strip() and c not in placed.values()]
        if not any(c.text.strip() for c in placed.values()):
            continue
        at_break, after_break = after_break, False
        if not at_break and _opens_groups(placed, groups):
            continue
        by_field = {c.field: c for c in columns}
        l3 = placed.get("level3")
        blank = l3 is None or not l3.text.strip() or (
            "level3" in by_field and covered(row, by_field["level3"]))
        starts = rows_of.row(placed, _part(placed), blank, at_break,
                             veto=lambda upper, placed=placed: _names_a_group(placed, groups, upper))
        if starts is None:
            if at_break and pending:
                # joined, on evidence or on likelihood (then reported): the 一级/二级 text
                # below goes on with the name above, which the veto let go on (a name that
                # could not would have made this a row of its own); dropped, the rest of a
                # name (满意度 / 指标) was lost in silence
                _go_on(groups, placed)
            continue
        for cells in starts:
            # a nameless part held from before the break starts this record: a group it
            # names (满意度 printed beside it) opens before the rest below the break
            for name in ("level1", "level2"):
                groups[name] = _next_group(groups[name], cells.get(name), at_break and cells is placed)
        item = _Pending(level1=groups["level1"], level2=groups["level2"])
        for cells in starts:
            _add(item, cells)
        pending.append(item)
    rest = rows_of.finish()
    if rest is not None:  # nothing but nameless rows: one indicator of them
        item = _Pending(level1=groups["level1"], level2=groups["level2"])
        for cells in rest:
            _add(item, cells)
        pending.append(item)
    has_periods = any(c.field in ("annual", "h1", "q3") for c in columns)
    value_issues: list[Concern] = []
    out = []
    for item in pending:
        values = {name: _value(item, name, value_issues) for name in VALUE_FIELDS}
        if has_periods:
            value_issues += mixed_signs(item, values) + mixed_separators(item, values)
        basis = item.text("basis") or None
        level3_cells = item.cells.get("level3", [])
        scanned = any(c.source == "ocr" for cells in item.cells.values() for c in cells)
        out.append(Indicator(
            level1=_name(item.level1.resolved(), scanned), level2=_name(item.level2.resolved(), scanned),
            level3=_name(clean_text(item.text("level3")), scanned),
            target=values["target"],
            annual=values["annual"] if has_periods else None,
            h1=values["h1"] if has_periods else None,
            q3=values["q3"] if has_periods else None,
            basis=basis,
            provenance=provenance(level3_cells[0]) if level3_cells else None))
    joins = [Concern(Issue("row_join_uncertain", f"indicator {indicator.level3}: {said}",
                           max(c.page for cells in item.cells.values() for c in cells)), indicator)
             for item, indicator in zip(pending, out, strict=True)
             if (said := rows_of.doubt(item)) is not None]
    return out, _doubtful_cells(pending, out) + value_issues + joins + _unplaced(unplaced), has_periods


def _unplaced(cells: Sequence[Cell]) -> list[Concern]:
    """``text_unplaced`` on the whole table when two or more cells below its header hold
    text under no column the header names (a header label misread: —级指标): that text is
    read into no field, and nothing else would say so."""
    if len(cells) < 2:
        return []  # one stray cell is another table's text more often than a column's
    shown = "、".join(dict.fromkeys(repr(clean_text(c.text)[:12]) for c in cells[:3])) \
        + ("…" if len(cells) > 3 else "")
    return [Concern(Issue("text_unplaced", f"绩效指标: {len(cells)} cell(s) hold text under no "
                          f"column the header names ({shown}): read into no field; check the "
                          f"table's header", cells[0].page, pointer("indicators")), None)]
