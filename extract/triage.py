"""Per-page triage: can this page's text layer be trusted?

A page goes to OCR when it has no characters but has an image (a scan), or
when its characters are not real text: (cid:N) placeholders, U+FFFD, or
characters from scripts the document is not written in (a broken ToUnicode map
decodes glyph numbers as accented Latin letters, private-use code points, Kangxi
radicals standing in for ideographs). A page whose text is all drawn invisible over an image is a scan with a scanner's own
OCR laid under it: that text says what the scanner's OCR read, not what the page
shows, so the page is read from its ink as any scan. A page with neither text nor
images is blank.
"""

from __future__ import annotations

import re
import unicodedata

from extract.model import HIDDEN_LAYER, MISSING, UNREADABLE_LAYER

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


# The blocks a Chinese document's text is written in: ideographs, their punctuation and
# full-width forms, ASCII, and the symbols forms print (° ± × ‰ ≤ ≥ Ⅲ ① □ ㎡). A font
# whose ToUnicode map is lost decodes its glyph numbers as characters from anywhere
# else: Latin letters with accents ("6ç78", "ÄÅÇÉ"), Greek, Indic scripts, Hangul,
# rare extension ideographs, Kangxi radicals, private use.
_WRITTEN = (
    (0x0020, 0x007E), (0x00A0, 0x00BF), (0x00D7, 0x00D7), (0x00F7, 0x00F7),
    (0x2000, 0x2BFF),  # punctuation, letterlike, numbers, arrows, maths, shapes, symbols
    (0x3000, 0x303F), (0x3200, 0x33FF),  # CJK punctuation, enclosed and squared forms
    (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
)


def _written(ch: str) -> bool:
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _WRITTEN)


def garbage_share(text: str) -> float:
    """Share of a text layer that is not real text: (cid:N), characters with no name
    (U+FFFD), and characters from outside the scripts the document is written in."""
    stripped = "".join(text.split())
    if not stripped:
        return 0.0
    cids = _CID.findall(stripped)
    rest = _CID.sub("", stripped)
    bad = sum(1 for ch in rest if ch == MISSING or not _written(ch))
    return (bad + len(cids)) / (len(rest) + len(cids))


def triage(text: str, has_images: bool, invisible: bool = False) -> tuple[str, str]:
    """(kind, reason) for one page: kind "text" when its text layer can be used.
    ``invisible``: all its text is drawn invisible (a source that can tell says so)."""
    if invisible and has_images and text.strip():
        return "scan", f"{HIDDEN_LAYER}: read by OCR from the image"
    if garbage_share(text) > GARBAGE_LIMIT:
        return "scan", f"{UNREADABLE_LAYER} ((cid:N), control or replacement characters): read by OCR"
    if not text.strip():
        if has_images:
            return "scan", "no text layer, only an image: needs OCR"
        return "text", "blank page"
    return "text", "text layer"
