"""camelot lattice as a second grid source, adapted to ``Grid``.

camelot finds lines from a rendered image of the page, so it is an independent
opinion on the same ruling: where both sources agree, the grid is right. It is
slower; it is chosen with ``ExtractSettings(source="lattice")``.

camelot reports cells in PDF user space (origin bottom-left) with a flag per
border; a merged cell is a run of cells missing the borders between them, and
its text sits in whichever piece the text fell in. Both are undone here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import camelot
from pdfplumber.page import Page

from extract.model import Cell, ExtractSettings, Grid, PageGrid
from extract.text import join_wrapped
from extract.textlayer import free_lines, page_glyphs


def _regions(table: Any) -> list[tuple[int, int, int, int]]:
    """(row, col, last_row, last_col) of each merged region, from border flags."""
    n_rows, n_cols = len(table.rows), len(table.cols)
    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        for c in range(n_cols):
            cell = table.cells[r][c]
            if c + 1 < n_cols and not cell.right:
                parent[find(r * n_cols + c)] = find(r * n_cols + c + 1)
            if r + 1 < n_rows and not cell.bottom:
                parent[find(r * n_cols + c)] = find((r + 1) * n_cols + c)
    boxes: dict[int, list[int]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            box = boxes.setdefault(find(r * n_cols + c), [r, c, r, c])
            box[2], box[3] = max(box[2], r), max(box[3], c)
    return sorted(tuple(b) for b in boxes.values())  # type: ignore[misc]


def table_to_grid(table: Any, number: int, page_height: float) -> Grid:
    xs = [table.cols[0][0]] + [c[1] for c in table.cols]
    ys = [page_height - table.rows[0][0]] + [page_height - r[1] for r in table.rows]
    cells = []
    for r0, c0, r1, c1 in _regions(table):
        pieces = [table.cells[r][c].text for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]
        text = join_wrapped(line.strip() for p in pieces for line in p.splitlines())
        cells.append(Cell(row=r0, col=c0, rowspan=r1 - r0 + 1, colspan=c1 - c0 + 1, text=text,
                          bbox=(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]), page=number,
                          source="lattice"))
    return Grid(page=number, bbox=(xs[0], ys[0], xs[-1], ys[-1]), col_edges=tuple(xs),
                row_edges=tuple(ys), cells=tuple(cells), source="lattice")


def read_page(page: Page, number: int, settings: ExtractSettings, path: Path) -> PageGrid:
    height = float(page.height)
    tables = camelot.read_pdf(str(path), pages=str(number), flavor="lattice", split_text=True,
                              suppress_stdout=True)
    grids = sorted((table_to_grid(t, number, height) for t in tables),
                   key=lambda g: (g.bbox[1], g.bbox[0]))

    def inside(x: float, y: float) -> bool:
        return any(g.bbox[0] <= x <= g.bbox[2] and g.bbox[1] <= y <= g.bbox[3] for g in grids)

    outside = [g for g in page_glyphs(page) if not inside(g.cx, g.cy)]
    return PageGrid(page=number, width=float(page.width), height=height, kind="text",
                    grids=tuple(grids), lines=free_lines(outside, number),
                    reason="text layer (camelot lattice)")
