"""The row stream split into the form's sections, found by their labels.

A section starts where its label appears, in any of the three ways forms print
it: a label cell at the left of a row (often merged over many rows), a row that
is one full-width title cell, or a heading line between tables. The indicator
section is also started by its header row (一级指标 …), since many forms print
no title for it. Rows up to the next label belong to the section, with the
label cell removed, whatever page they are on.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from normalize import labels
from normalize.rows import Row
from normalize.text import join_text

# Header words of the indicator table: a row holding two of them starts it.
_INDICATOR_HEADER = ("indicator.level1", "indicator.level2", "indicator.level3")
# The label group of each section's own table: a row that is that table's header
# ("上年度绩效目标 | 完成情况") opens the section and stays whole, as its header.
_TABLE_GROUPS = {"prior_year": "prior", "tasks": "task", "budget": "budget"}


@dataclass
class Sections:
    """Content rows per section name ("preamble" for rows before any label)."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, row: Row) -> None:
        self.rows.setdefault(name, []).append(row)
        self.pages.setdefault(name, row.page)

    def get(self, name: str) -> list[Row]:
        return self.rows.get(name, [])


def own_header(row: Row) -> str | None:
    """The section whose table header the row is (two labels of that table), wherever
    its section label is: a spreadsheet prints a merged label once, centred on the
    whole merge, so where the merge crosses a page the label may be on the next page."""
    if sum(1 for text in row.texts if labels.match(text, "indicator") in _INDICATOR_HEADER) >= 2:
        return "indicators"
    for name, group in _TABLE_GROUPS.items():
        others = [g for g in (*_TABLE_GROUPS.values(), "indicator") if g != group]
        if sum(1 for c in row.cells if labels.match(c.text, group)
               and not any(labels.exact(c.text, g) for g in others)) >= 2:
            return name
    return None


def _label_cell(row: Row) -> tuple[str | None, Row]:
    """If the row opens a section, its name and the row without the label cell."""
    trimmed = _past_blank_column(row)
    if trimmed is not row:
        name, content = _label_cell(trimmed)
        if name is not None:
            return name, content
    if not row.cells:
        return None, row
    first = row.cells[0]
    left = row.left
    own = own_header(row)
    if own is not None and (own == "indicators" or left is not first or not first.text.strip()
                            or labels.match(first.text, "section") is None):
        return own, row
    if left is not first:  # the row's left edge is a merged label from above
        return None, row
    name = labels.field_of(labels.match(first.text, "section"))
    if name is None:
        return None, row
    if name == "indicators" and len(row.cells) > 1:
        # "绩效目标" beside "绩效目标完成情况" is the prior-year header, not a title
        return None, row
    group = _TABLE_GROUPS.get(name)
    if group and len(row.cells) > 1 and sum(
            1 for c in row.cells if labels.match(c.text, group)) >= 2:
        return name, row
    return name, replace(row, cells=row.cells[1:])


def _past_blank_column(row: Row) -> Row:
    """The row without the blank cells left of its section label: a blank column before
    the labels (a rule seen where the table has none, the edge of a sheet) leaves the
    label a section still, rather than text run into the row above."""
    texted = [c for c in row.cells if c.text.strip()]
    if not texted or texted[0] is row.left or labels.match(texted[0].text, "section") is None:
        return row
    x = texted[0].bbox[0]
    if any(c.text.strip() for c in (*row.cells, *row.covering) if c.bbox[0] < x):
        return row
    return replace(row, cells=tuple(c for c in row.cells if c.bbox[0] >= x),
                   covering=tuple(c for c in row.covering if c.bbox[0] >= x))


def split(stream: list[Row]) -> Sections:
    out = Sections()
    current = "preamble"
    carried = False  # a page break marked on a title row that is not kept as content
    header: Row | None = None  # the header row that opened the current section
    last: Row | None = None  # the last table row, whose label cell a page break may cut
    for row in stream:
        before = last
        if carried and not row.is_line:
            row, carried = replace(row, continues=True), False
        if row.continues and last is not None and _label_tail(last, row):
            # the rest of a label cell the break cut, whose head alone already named the
            # section (年度部门预 / 算): the label, whole, not a line named 算
            head, tail = last.cells[0], row.cells[0]
            row = replace(row, cells=(replace(tail, text=join_text((head.text, tail.text))),
                                      *row.cells[1:]))
        cut = _cut_label(last, row) if row.continues and last is not None else None
        if cut is not None:
            # the label cell a page break cut (部门年 / 度绩效目标): the row above opened
            # this section, not the one it was read into
            _take_back(out, last)
            current, header = cut, None
            out.add(current, replace(last, cells=last.cells[1:]))
            out.add(current, replace(row, cells=row.cells[1:]))
            last = row
            continue
        if not row.is_line:
            last = row
        if header is not None and _below_header(row, header):
            # the second row of a two-row header (全年 | 上半年 | 前三季度 under the
            # indicators' 年度目标值分解) names the same table's columns, whatever other
            # table its words could head
            out.add(current, row)
            continue
        header = None
        name, content = _label_cell(row)
        if name is not None and name != current and row.continues and before is not None \
                and _left_behind(before, row, content) and _take_back(out, before):
            # the label a page break carried over alone, its value left above the break
            # in a row of no label: that value is this section's, not the one above's
            current = name
            out.add(current, replace(before, cells=before.cells[1:]))
            continue
        if name is not None:
            continued = name == current and row.continues
            current = name
            if content is row:
                out.add(current, content)  # a header row opening its section is content
                header = row
            elif content.cells:
                out.add(current, content)
            else:
                out.pages.setdefault(current, row.page)
                carried = continued  # the section's title repeated on the next page
            continue
        if row.is_line and current != "preamble" and is_trailer(row):
            current = "trailer"
        out.add(current, row)
    return out


def _left_behind(upper: Row, lower: Row, content: Row) -> bool:
    """Is ``upper`` (the last row before a break) the value of the label that opens
    ``lower`` with nothing beside it? A producer that centres a cell's text in its row
    prints a one-line value on the first page and the taller label on the next, when
    the break cuts the row (seed 997514, WeasyPrint: 负责执行的相关政策 alone on page 6,
    its policies on page 5 read as 部门职责's)."""
    if upper.is_line or lower.is_line or not upper.cells or not lower.cells \
            or upper.left is not upper.cells[0] or upper.page >= lower.page:
        return False
    a, b = upper.cells[0], lower.cells[0]
    values = [c for c in upper.cells[1:] if c.text.strip()]
    # the label's own value cells are there, blank, under the value left above
    blank_under = bool(content.cells) and not any(c.text.strip() for c in content.cells) and all(
        any(min(v.bbox[2], c.bbox[2]) - max(v.bbox[0], c.bbox[0]) > 0.5 * (v.bbox[2] - v.bbox[0])
            for c in content.cells) for v in values)
    return (not a.text.strip() and bool(values) and blank_under
            and abs(a.bbox[0] - b.bbox[0]) <= 0.5 * (a.bbox[2] - a.bbox[0]))


def _cut_label(upper: Row, lower: Row) -> str | None:
    """The section whose label the two rows' first cells make together, when the upper
    is no label alone: a label cell cut by a page break. Where the lower is a label
    alone too (负责 / 执行的相关政策, a shorter wording of its own), the two together must
    name that section word for word."""
    if lower.is_line or not upper.cells or not lower.cells or upper.left is not upper.cells[0]:
        return None
    a, b = upper.cells[0], lower.cells[0]
    if abs(a.bbox[0] - b.bbox[0]) > 0.5 * (a.bbox[2] - a.bbox[0]) or len(upper.cells) < 2 \
            or not a.text.strip() or labels.match(a.text, "section"):
        return None
    whole = join_text((a.text, b.text))
    alone = labels.match(b.text, "section")
    if alone is not None:
        return labels.field_of(alone) if labels.exact(whole, "section") == alone else None
    return labels.field_of(labels.match(whole, "section"))


def _label_tail(upper: Row, lower: Row) -> bool:
    """Is the first cell of ``lower`` (a row a page break continued) the end of the
    label that ``upper``'s first cell begins: the head names a section near enough, the
    two together name it word for word, and the tail alone names nothing?"""
    if lower.is_line or not upper.cells or not lower.cells or upper.left is not upper.cells[0]:
        return False
    a, b = upper.cells[0], lower.cells[0]
    if abs(a.bbox[0] - b.bbox[0]) > 0.5 * (a.bbox[2] - a.bbox[0]) or not b.text.strip():
        return False
    key = labels.match(a.text, "section")
    return (key is not None and labels.exact(a.text, "section") is None
            and labels.exact(join_text((a.text, b.text)), "section") == key
            and labels.match(b.text, "section") is None)


def _take_back(out: Sections, row: Row) -> bool:
    """Remove the row (the last one added) from the section it was read into; False
    where no section ends with it."""
    for name, rows in out.rows.items():
        if rows and rows[-1] is row:
            rows.pop()
            if not rows:
                del out.rows[name]
                out.pages.pop(name, None)
            return True
    return False


def _below_header(row: Row, header: Row) -> bool:
    """Is the row the rest of a header: reached into by the header row's merged cells
    (一级指标 spanning both header rows) in the same table?"""
    mine = {id(c) for c in header.cells}
    return not row.is_line and row.page == header.page and any(id(c) in mine for c in row.covering)


def is_trailer(row: Row) -> bool:
    """Free text after the grids (sign-off, notes) is not section content."""
    return any(word in row.text for word in ("填表人", "填报人", "填表日期", "负责人", "联系电话"))
