"""Glyphs to text: group into lines, then join lines the way a reader would.

Chinese has no spaces between words, so a line wrap inside a cell is joined with
nothing: the wrap can fall inside a number ("126.5公" / "里") or a word. Only a
wrap between two Latin letters gets a space back, since that is where an English
word boundary was lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from extract.model import Glyph, TextLine

_LATIN_END = re.compile(r"[A-Za-z]$")
_LATIN_START = re.compile(r"^[A-Za-z]")


def group_lines(glyphs: Iterable[Glyph]) -> list[list[Glyph]]:
    """Glyphs into lines, top to bottom, each line left to right.

    A glyph joins the current line when its vertical centre lies within half a
    glyph height of the line's centre; sorting by centre first keeps this linear.
    """
    ordered = sorted(glyphs, key=lambda g: (g.cy, g.bbox[0]))
    lines: list[list[Glyph]] = []
    centre = height = 0.0
    for glyph in ordered:
        if lines and abs(glyph.cy - centre) <= max(height, glyph.height) * 0.5:
            lines[-1].append(glyph)
            n = len(lines[-1])
            centre += (glyph.cy - centre) / n
            height = max(height, glyph.height)
        else:
            lines.append([glyph])
            centre, height = glyph.cy, glyph.height
    return [sorted(line, key=lambda g: g.bbox[0]) for line in lines]


LATIN_GAP = 0.15  # × glyph height: a Latin word space is about a quarter em


def _latin(ch: str) -> bool:
    return ch.isascii() and not ch.isspace()


def line_text(line: Sequence[Glyph], gap_factor: float) -> str:
    """One line's text, spaces placed by geometry: a gap between two Latin
    characters wider than ``LATIN_GAP`` × height is a word space; elsewhere only
    a gap wider than ``gap_factor`` × height (columns of free text) is one."""
    parts: list[str] = []
    prev: Glyph | None = None
    for glyph in line:
        if prev is not None and glyph.text != " " and prev.text != " ":
            gap = glyph.bbox[0] - prev.bbox[2]
            latin = _latin(prev.text[-1]) and _latin(glyph.text[0])
            if gap > (LATIN_GAP if latin else gap_factor) * max(glyph.height, prev.height, 1.0):
                parts.append(" ")
        parts.append(glyph.text)
        prev = glyph
    return "".join(parts).strip()


def join_wrapped(lines: Iterable[str]) -> str:
    """Join wrapped lines of one cell: no separator, except between Latin letters."""
    out = ""
    for line in lines:
        if not line:
            continue
        if out and _LATIN_END.search(out) and _LATIN_START.search(line):
            out += " "
        out += line
    return out


def cell_text(glyphs: Iterable[Glyph]) -> str:
    """The text of one cell: lines joined without spaces across wraps."""
    return join_wrapped(line_text(line, gap_factor=0.6) for line in group_lines(glyphs))


def last_line(glyphs: Iterable[Glyph]) -> list[Glyph]:
    """The glyphs of a cell's last line of text."""
    lines = group_lines(g for g in glyphs if not g.text.isspace())
    return lines[-1] if lines else []


def free_lines(glyphs: Iterable[Glyph], page: int) -> tuple[TextLine, ...]:
    """Text outside every grid, as lines in reading order; a wide gap inside a
    line (as between 填报部门 and 单位:万元) becomes a space."""
    out = []
    for line in group_lines(g for g in glyphs if not g.text.isspace()):
        text = line_text(line, gap_factor=0.8)
        if text:
            box = (min(g.bbox[0] for g in line), min(g.bbox[1] for g in line),
                   max(g.bbox[2] for g in line), max(g.bbox[3] for g in line))
            out.append(TextLine(text=text, bbox=box, page=page,
                                confidence=min(g.confidence for g in line)))
    return tuple(out)
