"""Which of a scanned value's possible readings the form allows, and doubt where two do.

OCR gives each cell its text and the other texts the same ink may say (extract's
``Cell.alternatives``: a character's runner-up, a ‰ or a comparator that the
recogniser and the ink's shape disagree on). extract cannot choose: "<9829.42" is a
fine reading of ink, but no budget amount has a comparator. The reader of a field
knows its grammar, so it chooses here: the likeliest reading that parses, and a
``reading_ambiguous`` issue when another reading parses to something else (a rate of
95% or 95‰, an amount of 8 or 6), never a silent coin toss.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from extract.model import Cell
from normalize.model import Issue
from normalize.text import join_text

T = TypeVar("T")


def readings(cells: Sequence[Cell]) -> list[str]:
    """The cells' joined text, then the text with one cell read as one of its
    alternatives, likeliest first, each once."""
    texts = [join_text(c.text for c in cells)]
    for k, cell in enumerate(cells):
        for other in cell.alternatives:
            text = join_text([*(c.text for c in cells[:k]), other, *(c.text for c in cells[k + 1:])])
            if text not in texts:
                texts.append(text)
    return texts


def choose(cells: Sequence[Cell], parse: Callable[[str], T], what: str,
           meaning: Callable[[T], object] = lambda parsed: parsed) -> tuple[str, T, list[Issue]]:
    """The likeliest reading of ``cells`` that ``parse`` accepts (raises ValueError
    on a text the field cannot hold), its parse, and a ``reading_ambiguous`` issue
    when another accepted reading means something else (``meaning`` of its parse
    differs). When none is accepted, the first reading's error propagates."""
    texts = readings(cells)
    accepted: list[tuple[str, T]] = []
    first_error: ValueError | None = None
    for text in texts:
        try:
            accepted.append((text, parse(text)))
        except ValueError as exc:
            first_error = first_error or exc
    if not accepted:
        assert first_error is not None
        raise first_error
    text, parsed = accepted[0]
    others = [t for t, p in accepted[1:] if meaning(p) != meaning(parsed)]
    issues = []
    if others:
        page = next((c.page for c in cells if c.alternatives), cells[0].page if cells else None)
        issues.append(Issue("reading_ambiguous", f"{what}: read {text!r}, but the scan may also "
                            f"say {' or '.join(repr(o) for o in others)}; check it on the page",
                            page))
    return text, parsed, issues
