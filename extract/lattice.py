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
from dataclasses import replace
from pathlib import Path
from typing import Any

import camelot
from pdfplumber.page import Page

from extract import plumber_source
from extract.grid import Region, build_grid, join_regions
from extract.model import ExtractSettings, PageGrid
from extract.plumber_source import page_glyphs, page_turn, read_pages
from extract.text import free_lines
from extract.triage import triage


def _regions(table: Any) -> list[Region]:
    """Merged regions from camelot's per-cell border flags."""
    return join_regions(len(table.rows), len(table.cols),
                        lambda r, c: not table.cells[r][c].right,
                        lambda r, c: not table.cells[r][c].bottom)


def lattice_of(table: Any, page_height: float) -> tuple[list[float], list[float]]:
    """camelot's columns and rows as x and y edges, top-left origin."""
    xs = [table.cols[0][0]] + [c[1] for c in table.cols]
    ys = [page_height - table.rows[0][0]] + [page_height - r[1] for r in table.rows]
    return xs, ys


def read_page(page: Page, number: int, settings: ExtractSettings, path: Path) -> PageGrid:
    turn = page_turn(page)
    if turn.degrees:
        # camelot reads the page as displayed: a page read turned is traced from
        # pdfplumber's own rulings, turned with its text
        page_grid = plumber_source.read_page(page, number, settings)
        return replace(page_grid, reason=f"{page_grid.reason} (pdfplumber rulings: camelot "
                                         f"reads no turned page)")
    width, height = float(page.width), float(page.height)
    glyphs = page_glyphs(page, turn)
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
    return read_pages(path, password, only, lambda page, n: read_page(page, n, settings, path))
