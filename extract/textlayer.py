"""The text-layer grid source: one pdfplumber page → ``PageGrid``."""

from __future__ import annotations

from pdfplumber.page import Page

from extract import grid
from extract.model import ExtractSettings, Glyph, PageGrid, TextLine
from extract.rulings import page_segments
from extract.text import group_lines, line_text


def page_glyphs(page: Page) -> list[Glyph]:
    """The page's characters; upright text only (a rotated stamp is not content)."""
    return [
        Glyph(ch["text"], (ch["x0"], ch["top"], ch["x1"], ch["bottom"]))
        for ch in page.chars
        if ch.get("upright", True) and ch["text"]
    ]


def free_lines(glyphs: list[Glyph], page: int) -> tuple[TextLine, ...]:
    """Text outside every grid, as lines in reading order."""
    out = []
    for line in group_lines(g for g in glyphs if not g.text.isspace()):
        text = line_text(line, gap_factor=0.8)
        if text:
            box = (min(g.bbox[0] for g in line), min(g.bbox[1] for g in line),
                   max(g.bbox[2] for g in line), max(g.bbox[3] for g in line))
            out.append(TextLine(text=text, bbox=box, page=page))
    return tuple(out)


def trace_page(page: Page, number: int, settings: ExtractSettings) -> grid.GridTrace:
    segments = page_segments(page.lines, page.rects, page.curves)
    return grid.trace(segments, page_glyphs(page), number, settings, source="text")


def read_page(page: Page, number: int, settings: ExtractSettings) -> PageGrid:
    found = trace_page(page, number, settings)
    return PageGrid(page=number, width=float(page.width), height=float(page.height),
                    kind="text", grids=tuple(found.grids),
                    lines=free_lines(found.outside, number), reason="text layer")
