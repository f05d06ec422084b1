"""Pages to one stream of rows in reading order, with page breaks marked.

A form is read as a sequence: free text lines and table rows, page after page.
A table that runs onto the next page is the same table: its first row there is
marked ``continues`` so readers can rejoin a row or a cell the break cut in two.
Free lines between the two halves (page numbers, 续表, a page header, text a
spreadsheet spilled out of a merged cell) do not break the continuation; a
section heading does, since it starts another table.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from extract.model import MISSING, BBox, Cell, Grid, PageGrid, TextLine
from normalize import labels
from normalize.text import join_text

# a character the font lacks: the text layer's MISSING, or the box a scan shows for it;
# furniture set in a face without 续 or 页 (a traditional face has 續, 頁) is still furniture
_UNNAMED = f"[{MISSING}□]"
_PAGE_NUMBER = re.compile(r"^(?:第?\s*[-—]?\s*\d+\s*[-—]?\s*(?:页|UNNAMED)?(?:\s*[/共]\s*\d+\s*(?:页|UNNAMED)?)?"
                          r"|-\s*\d+\s*-)$".replace("UNNAMED", _UNNAMED))
_CONTINUED = re.compile(rf"^[(（]?(?:续表?|{_UNNAMED}表)[)）]?[:：]?$")


@dataclass(frozen=True)
class Row:
    """One row of a table, or one free text line as a row of a single cell.

    ``cells`` start on this row (left to right); ``covering`` are merged cells
    from rows above that reach into it. ``continues`` marks the first row of a
    table half that continues a table from the previous page.
    """

    page: int
    cells: tuple[Cell, ...]
    covering: tuple[Cell, ...] = ()
    continues: bool = False
    is_line: bool = False
    table_bbox: BBox | None = None

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    @property
    def text(self) -> str:
        return "".join(self.texts)

    @property
    def left(self) -> Cell | None:
        """The leftmost cell touching the row, merged or not."""
        every = list(self.cells) + list(self.covering)
        return min(every, key=lambda c: c.bbox[0]) if every else None


def is_noise_line(text: str) -> bool:
    """Page numbers and 续表 headings: furniture, not content."""
    folded = unicodedata.normalize("NFKC", text).strip()
    return bool(_PAGE_NUMBER.match(folded) or _CONTINUED.match(folded))


def line_row(line: TextLine) -> Row:
    cell = Cell(row=0, col=0, rowspan=1, colspan=1, text=line.text, bbox=line.bbox,
                page=line.page, source=line.source, confidence=line.confidence)
    return Row(page=line.page, cells=(cell,), is_line=True)


def grid_rows(grid: Grid, continues: bool) -> list[Row]:
    by_row: dict[int, list[Cell]] = {}
    covering: dict[int, list[Cell]] = {}
    for cell in grid.cells:
        by_row.setdefault(cell.row, []).append(cell)
        for r in range(cell.row + 1, cell.last_row + 1):
            covering.setdefault(r, []).append(cell)
    return [
        Row(page=grid.page,
            cells=tuple(sorted(by_row.get(r, []), key=lambda c: c.bbox[0])),
            covering=tuple(covering.get(r, [])),
            continues=continues and r == 0,
            table_bbox=grid.bbox)
        for r in range(grid.n_rows)
    ]


def _same_table(a: Grid, b: Grid, tolerance: float = 6.0) -> bool:
    """Does ``b`` (top of a page) look like the rest of ``a`` (bottom of the last)?
    Same outer left and right borders is what a table split by a page keeps; or, when
    a producer leaves out a merged column on one page (an HTML engine drops the part of
    a row-spanning cell that falls on the other page), every column edge of the one is
    one of the other's, and it keeps most of the other's width."""
    if abs(a.bbox[0] - b.bbox[0]) <= tolerance and abs(a.bbox[2] - b.bbox[2]) <= tolerance:
        return True
    fewer, more = sorted((a.col_edges, b.col_edges), key=len)
    return (all(any(abs(x - y) <= tolerance for y in more) for x in fewer)
            and fewer[-1] - fewer[0] >= 0.5 * (more[-1] - more[0]))


def page_items(page: PageGrid) -> list[Grid | TextLine]:
    """A page's grids and free lines in reading order (top to bottom). A grid with no
    text in any cell is furniture like a page number: rules and no words (a box drawn
    round a stamp, a scan's shadow along the paper's edge read as a corner of rules)
    neither goes on from the last page's table nor stands between it and its rest."""
    items: list[Grid | TextLine] = [*(g for g in page.grids if any(c.text.strip() for c in g.cells)),
                                    *(ln for ln in page.lines if not is_noise_line(ln.text))]
    items.sort(key=lambda it: (it.bbox[1], it.bbox[0]))
    return items


def _is_heading(line: TextLine) -> bool:
    return labels.match(line.text, "section") is not None


def with_spilled(grid: Grid, lines: Sequence[TextLine]) -> tuple[Grid, list[TextLine]]:
    """The grid with the text that spilled out of its foot put back, and the lines left.

    A spreadsheet prints a merged cell's text once, centred on the whole merge; where
    the merge crosses a page break the text can land below the table's last rule on the
    first page, anywhere below the table. The lines below the grid that each lie within
    one column whose cell in the last row is blank are those cells' text, up to the first
    line that is not (the text after the table: a sign-off, a note)."""
    last = grid.n_rows - 1
    cells = list(grid.cells)
    left = []
    for line in lines:
        x0, top, x1, _ = line.bbox
        col = next((c for c in range(grid.n_cols)
                    if grid.col_edges[c] - 1 <= x0 and x1 <= grid.col_edges[c + 1] + 1), None)
        at = next((k for k, cell in enumerate(cells) if col is not None and cell.row <= last
                   <= cell.last_row and cell.col <= col <= cell.last_col), None)
        if not left and top >= grid.bbox[3] and at is not None and not cells[at].text.strip() \
                and cells[at].colspan == 1:
            cells[at] = replace(cells[at], text=line.text, text_bbox=line.bbox, last_line=line.bbox,
                                confidence=min(cells[at].confidence, line.confidence))
        else:
            left.append(line)
    return replace(grid, cells=tuple(cells)), left


def with_spilled_above(grid: Grid, lines: Sequence[TextLine]) -> tuple[Grid, list[TextLine]]:
    """The first grid of a page that continues a table, with the lines printed right
    above its top put back, and the lines left.

    A producer that splits a row inside a cell may draw the first line of the cell's
    rest above or across the row's top rule. The lines that start above the grid and
    end within a line height of its top, each within one cell of the grid's first row
    (not a title across it), are that cell's first lines."""
    cells = list(grid.cells)
    left = []
    for line in lines:
        x0, top, x1, bottom = line.bbox
        height = max(line.bbox[3] - line.bbox[1], 1.0)
        at = next((k for k, cell in enumerate(cells)
                   if cell.row == 0 and cell.bbox[0] - 1 <= x0 and x1 <= cell.bbox[2] + 1), None)
        if at is not None and top < grid.bbox[1] and grid.bbox[1] - bottom <= height \
                and cells[at].colspan < grid.n_cols:
            cells[at] = replace(cells[at], text=join_text((line.text, cells[at].text)),
                                confidence=min(cells[at].confidence, line.confidence))
        else:
            left.append(line)
    return replace(grid, cells=tuple(cells)), left


def stream(pages: Sequence[PageGrid]) -> list[Row]:
    """Every page's rows in reading order, continuations marked."""
    out: list[Row] = []
    open_grid: Grid | None = None  # a grid that may go on: nothing but furniture since
    for page in pages:
        first_on_page = True
        items = page_items(page)
        grids = [k for k, it in enumerate(items) if isinstance(it, Grid)]
        if grids:  # text spilled below the page's last grid goes back into it
            k = grids[-1]
            tail = [it for it in items[k + 1:] if isinstance(it, TextLine)]
            grid, left = with_spilled(items[k], tail)  # type: ignore[arg-type]
            items = items[:k] + [grid] + left
            k = grids[0]
            if open_grid is not None and _same_table(open_grid, items[k]) \
                    and not any(_is_heading(it) for it in items[:k] if isinstance(it, TextLine)):
                # and text spilled above the first, when it goes on from the last page
                grid, left = with_spilled_above(items[k], items[:k])  # type: ignore[arg-type]
                items = left + [grid] + items[k + 1:]
        for item in items:
            if isinstance(item, Grid):
                continues = (first_on_page and open_grid is not None
                             and _same_table(open_grid, item))
                out.extend(grid_rows(item, continues))
                open_grid, first_on_page = item, False
            else:
                out.append(line_row(item))
                if _is_heading(item):
                    open_grid = None
    return out
