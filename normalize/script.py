"""What OCR reads, put in the script the form is written in: simplified Chinese.

The recogniser knows both scripts and at small sizes reads a simplified character as
its traditional twin now and then (决 as 決, 说 as 說); it also reads a wide gap
between two characters as a space, which Chinese prose never has ("依据 《预算法》
强化"). Neither is in the ink's meaning, and the form says which script it uses, so
the reader of the form, not extract, folds them back, on scanned text only: a text
layer says exactly what the producer wrote.

A character is folded only where it is not in GB 2312 (the simplified set every such
form is typed in) and OpenCC's traditional-to-simplified table makes it one that is:
a character valid in simplified text (乾 of 乾县, 於 of a surname) is never changed, and
nor is a rare name character that has no simplified twin (堃, 喆).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from extract.model import Cell, Grid, PageGrid, TextLine

# CJK ideographs and the full-width punctuation of Chinese prose
_HAN = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff0f\uff1a-\uff20"
_SPACE_IN_HAN = re.compile(rf"(?<=[{_HAN}])\s+(?=[{_HAN}])")


def _simplified_set(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


@cache
def simplified_char(ch: str) -> str:
    """``ch``'s simplified twin where ``ch`` is traditional only, else ``ch``."""
    if ch.isascii() or _simplified_set(ch):
        return ch
    folded = _converter().convert(ch)
    return folded if len(folded) == 1 and _simplified_set(folded) else ch


def simplified(text: str) -> str:
    """OCR text in simplified Chinese, without spaces between Chinese characters."""
    return _SPACE_IN_HAN.sub("", "".join(simplified_char(ch) for ch in text))


def _cell(cell: Cell) -> Cell:
    if cell.source != "ocr":
        return cell
    text = simplified(cell.text)
    others = (a for a in map(simplified, cell.alternatives) if a != text)
    return replace(cell, text=text, alternatives=tuple(dict.fromkeys(others)))


def _grid(grid: Grid) -> Grid:
    return replace(grid, cells=tuple(_cell(c) for c in grid.cells))


def _line(line: TextLine) -> TextLine:
    return replace(line, text=simplified(line.text)) if line.source == "ocr" else line


def in_form_script(pages: tuple[PageGrid, ...] | list[PageGrid]) -> list[PageGrid]:
    """The pages with every scanned cell and line folded (``simplified``)."""
    return [page if page.kind != "scan" else
            replace(page, grids=tuple(_grid(g) for g in page.grids),
                    lines=tuple(_line(ln) for ln in page.lines))
            for page in pages]
