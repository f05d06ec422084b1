"""Columns by their header labels, and a row's cells placed under them by x.

Positions of columns differ between cities and between two halves of a table on
different pages, so a content cell is placed under the header whose horizontal
extent it overlaps most, never by its index.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from extract.model import Cell
from normalize import labels
from normalize.rows import Row
from normalize.text import join_text


@dataclass(frozen=True)
class Column:
    field: str
    x0: float
    x1: float

    def overlap(self, cell: Cell) -> float:
        return max(0.0, min(self.x1, cell.bbox[2]) - max(self.x0, cell.bbox[0]))


def header_columns(row: Row, group: str) -> list[Column]:
    """The labelled columns of a header row, left to right (one per field). Where two
    cells name one field, the one that names it word for word is its column: a page
    break that cuts the section's own label (上年度绩效目 | 标完成情况) leaves the label
    column beside the header naming a column to within an edit, and taken for that
    column, every row's cell under the real one would be unplaced, in silence."""
    named: dict[str, tuple[bool, Cell]] = {}
    for cell in row.cells:
        name = labels.field_of(labels.match(cell.text, group))
        if name and (name not in named or (not named[name][0] and labels.exact(cell.text, group))):
            named[name] = (labels.exact(cell.text, group) is not None, cell)
    return sorted((Column(name, cell.bbox[0], cell.bbox[2]) for name, (_, cell) in named.items()),
                  key=lambda c: c.x0)


def rest_of_header(header: Sequence[Cell], row: Row, group: str,
                   also: Callable[[Cell, Cell], str | None] | None = None) -> list[Column]:
    """A row whose every cell completes the header cell above it into a label of
    ``group`` (a header row its rules or a page break cut inside its labels: 上半年 / 值,
    工作任务名 / 称), as the columns it names; ``also`` names a column from a header cell
    and the cell below it another way. Empty when any cell does not."""
    out = []
    for cell in row.cells:
        if not cell.text.strip():
            continue
        above = [h for h in header if min(h.bbox[2], cell.bbox[2]) - max(h.bbox[0], cell.bbox[0])
                 > 0.5 * (cell.bbox[2] - cell.bbox[0])]
        # a label word for word when completed, or one only then (年度指标 is a label to
        # within an edit, 年度指标值 exactly)
        field = next((labels.field_of(key) for h in above
                      if (key := labels.exact(join_text((h.text, cell.text)), group))
                      or (not labels.match(h.text, group)
                          and (key := labels.match(join_text((h.text, cell.text)), group)))
                      or (also is not None and (key := also(h, cell)))),
                     None)
        if field is None:
            return []
        out.append(Column(field, cell.bbox[0], cell.bbox[2]))
    return out


def names_all(row: Row, found: list[Column]) -> bool:
    """Does every printed cell of the row name a column (a header row, or a part of
    one)?"""
    return bool(found) and len(found) == sum(1 for c in row.cells if c.text.strip())


def refined(columns: list[Column], found: list[Column]) -> list[Column]:
    """The columns of a header read so far, with those a further header row names: the
    second row of a two-row header, or the rest of a header row a page break cut (its
    labels centred, some above the break and some below)."""
    names = {c.field for c in found}
    return sorted([c for c in columns if c.field not in names] + found, key=lambda c: c.x0)


def place(cells: Iterable[Cell], columns: list[Column]) -> dict[str, Cell]:
    """Each cell under the column it overlaps most (at least a third of the
    cell's width), first cell wins a column."""
    out: dict[str, Cell] = {}
    for cell in cells:
        width = max(cell.bbox[2] - cell.bbox[0], 1e-6)
        best = max(columns, key=lambda col: col.overlap(cell), default=None)
        if best and best.overlap(cell) >= width / 3 and best.field not in out:
            out[best.field] = cell
    return out


def covered(row: Row, column: Column) -> bool:
    """Is the column's slot in this row covered by a merged cell from above?"""
    return any(column.overlap(c) > (column.x1 - column.x0) / 3 for c in row.covering)
