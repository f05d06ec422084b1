"""Per-page triage: can this page's text layer be trusted?

A page goes to OCR when it has no characters but has an image (a scan), or
when its characters are not real text: (cid:N) placeholders, U+FFFD,
private-use code points, or Kangxi radicals standing in for ideographs (a
broken ToUnicode map). A page with neither text nor images is blank.
"""

from __future__ import annotations

import re
import unicodedata

_CID = re.compile(r"\(cid:\d+\)")
GARBAGE_LIMIT = 0.1


def garbage_share(text: str) -> float:
    """Share of a text layer that is not real text."""
    stripped = "".join(text.split())
    if not stripped:
        return 0.0
    cids = _CID.findall(stripped)
    rest = _CID.sub("", stripped)
    bad = sum(
        1 for ch in rest
        if ch == "\ufffd" or unicodedata.category(ch) == "Co" or "\u2f00" <= ch <= "\u2fdf"
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
