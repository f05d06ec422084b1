"""camelot lattice as a second grid source, adapted to ``Grid``.

camelot finds lines from a rendered image of the page, so it is an independent
opinion on the same ruling: where both sources agree, the grid is right. It is
slower; it is chosen with ``ExtractSettings(source="lattice")``.

Only camelot's geometry is taken: its rows and columns (in PDF user space,
origin bottom-left) and its per-cell border flags, from which merged regions
are rebuilt. Text is assigned by ``grid.build_grid`` like every other source:
camelot's own cell text misorders wrapped lines and glues neighbouring cells.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import camelot
from pdfplumber.page import Page

from extract.grid import Region, build_grid
from extract.model import ExtractSettings, PageGrid
from extract.plumber_source import open_pdf, page_glyphs
from extract.text import free_lines
from extract.triage import triage


def _regions(table: Any) -> list[Region]:
    """Merged regions from camelot's per-cell border flags."""
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
    return sorted(Region(*b) for b in boxes.values())


def lattice_of(table: Any, page_height: float) -> tuple[list[float], list[float]]:
    """camelot's columns and rows as x and y edges, top-left origin."""
    xs = [table.cols[0][0]] + [c[1] for c in table.cols]
    ys = [page_height - table.rows[0][0]] + [page_height - r[1] for r in table.rows]
    return xs, ys


def read_page(page: Page, number: int, settings: ExtractSettings, path: Path) -> PageGrid:
    width, height = float(page.width), float(page.height)
    glyphs = page_glyphs(page)
    kind, reason = triage("".join(g.text for g in glyphs), bool(page.images))
    if kind != "text" or not glyphs:
        return PageGrid(page=number, width=width, height=height,
                        kind=kind, reason=reason)  # type: ignore[arg-type]
    tables = camelot.read_pdf(str(path), pages=str(number), flavor="lattice",
                              suppress_stdout=True)
    grids = []
    remaining = [g for g in glyphs if not g.text.isspace()]
    for table in sorted(tables, key=lambda t: (-t.rows[0][0], t.cols[0][0])):
        xs, ys = lattice_of(table, height)
        built, remaining = build_grid(xs, ys, _regions(table), remaining, number, "lattice")
        grids.append(built)
    return PageGrid(page=number, width=width, height=height, kind="text",
                    grids=tuple(grids), lines=free_lines(remaining, number),
                    reason="text layer (camelot lattice)")


def read_document(path: Path, settings: ExtractSettings, password: str = "",
                  only: Collection[int] | None = None) -> Iterator[tuple[int, int, PageGrid]]:
    """(page number, page count, grid) for each page; camelot opens the file itself."""
    with open_pdf(path, password) as pdf:
        total = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            if only is not None and number not in only:
                continue
            try:
                yield number, total, read_page(page, number, settings, path)
            finally:
                page.close()
