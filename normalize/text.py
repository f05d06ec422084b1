"""Prose cleaning shared by every text field.

Cells of one field that were cut apart (by a page break, or by a merged cell
spilling over rows) are joined with nothing between them, as extract joins the
lines of one cell: Chinese prose has no spaces, so a cut inside a sentence
must not leave one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_SPACES = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Whitespace runs collapsed to one space; stripped."""
    return _SPACES.sub(" ", text).strip()


def join_text(parts: Iterable[str]) -> str:
    out = ""
    for part in parts:
        part = clean_text(part)
        if not part:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() \
                and part[0].isascii() and part[0].isalpha():
            out += " "  # a cut between two Latin words was a word space
        out += part
    return out
