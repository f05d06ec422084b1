"""Per-page triage: can this page's text layer be trusted?

A page goes to OCR when it has no characters but has an image (a scan), or
when its characters are not real text: (cid:N) placeholders, U+FFFD,
private-use code points, or Kangxi radicals standing in for ideographs (a
broken ToUnicode map). A page with neither text nor images is blank.
"""

from __future__ import annotations

import re
import unicodedata

from extract.model import MISSING

_CID = re.compile(r"\(cid:\d+\)")
GARBAGE_LIMIT = 0.1


def layer_char(text: str) -> tuple[str, float]:
    """One text-layer character and how far it can be trusted (1 or 0). A glyph its
    font names no character for (no ToUnicode entry: code 0 or another control code,
    pdfminer's "(cid:N)") is MISSING with confidence 0: neither dropped in silence (a
    续表 set in a font without 续 left a lone 表 that became an indicator's 一级) nor
    taken for text; its cell is doubted where a value is read from it."""
    if text == MISSING or _CID.fullmatch(text) or (
            len(text) == 1 and unicodedata.category(text) == "Cc" and not text.isspace()):
        return MISSING, 0.0
    return text, 1.0


def garbage_share(text: str) -> float:
    """Share of a text layer that is not real text."""
    stripped = "".join(text.split())
    if not stripped:
        return 0.0
    cids = _CID.findall(stripped)
    rest = _CID.sub("", stripped)
    bad = sum(
        1 for ch in rest
        if ch == MISSING or unicodedata.category(ch) == "Co" or "\u2f00" <= ch <= "\u2fdf"
    )
    return (bad + len(cids)) / (len(rest) + len(cids))


def triage(text: str, has_images: bool) -> tuple[str, str]:
    """(kind, reason) for one page: kind "text" when its text layer can be used."""
    if garbage_share(text) > GARBAGE_LIMIT:
        return "scan", "text layer is unreadable ((cid:N) or replacement characters): needs OCR"
    if not text.strip():
        if has_images:
            return "scan", "no text layer, only an image: needs OCR"
        return "text", "blank page"
    return "text", "text layer"
