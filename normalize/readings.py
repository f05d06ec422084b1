"""Which of a scanned value's possible readings the form allows, and doubt where two do.

OCR gives each cell its text and the other texts the same ink may say (extract's
``Cell.alternatives``: a character's runner-up, a ‰ or a comparator that the
recogniser and the ink's shape disagree on). extract cannot choose: "<9829.42" is a
fine reading of ink, but no budget amount has a comparator. The reader of a field
knows its grammar, so it chooses here: the likeliest reading that parses, and a
``reading_ambiguous`` issue when another reading parses to something else (a rate of
95% or 95‰, an amount of 8 or 6), never a silent coin toss.

Prose has no grammar to choose by, and one wrong character in a sentence rarely
changes what it says; a wrong figure does ("完成率达到80%" read as 80‰). So a prose
field whose scanned cells may also say other figures is in doubt (``figure_doubts``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from extract.model import MISSING, Cell
from normalize import labels
from normalize.model import Issue
from normalize.text import join_text
from normalize.values import fold, parse_value

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


# a ring read right after a rate sign: a ‰'s own ring read apart, or a speck; a value
# is no sentence, so it is not a full stop
_RING_AFTER_SIGN = re.compile(r"%\s*[。○°₀º˚]")
# a ring read after a ‰ (a subscript zero: "8‰₀"): its own third ring, read twice
_RING_AFTER_PERMILLE = re.compile(r"(?<=‰)\s*[。○°₀º˚]")
# a ring read as a round Latin letter right after a rate sign ("3%e", "1%c" for a FangSong
# ‰): no value writes a letter after its sign, so it is the ‰'s ring likeliest
_LETTER_AFTER_SIGN = re.compile(r"(?<=\d)(\s*)%\s*[ce](?![A-Za-z])")
# a Latin O standing for a zero inside a figure ("控制在O.3", "1O5")
_LETTER_ZERO = re.compile(r"(?<=\d)[Oo](?=[\d.,%‰])|(?<![A-Za-z])[Oo](?=[.,]\d)")


_SPECK_AFTER_FIGURE = re.compile(r"\d\.$")  # "215.": no figure ends on its decimal point
# "14218.床以上": a decimal point has digits after it, so a point between a figure and
# a word is a speck, or a point whose digits were lost; either way doubt
_SPECK_IN_FIGURE = re.compile(r"(?<=\d)\.(?=\s*[^\d\s.,，。])"
                              # a middle dot before a figure ("控制在·89%左右"): no value has one
                              r"|(?<=[\u4e00-\u9fff])\s*[·•・∙](?=\s*\d)")
# a thousands separator read as a semicolon ("10;632"): in a figure, the comma it looks like
_SEMICOLON_GROUP = re.compile(r"(?<=\d)[;；](?=\d{3}(?!\d))")


def value_spellings(text: str) -> list[str]:
    """What a scanned value's text may stand for, likeliest first: a ring after a ‰ as
    its own third ring read twice; a ring after its % as nothing (a speck), then as the
    ‰ it may complete; a round letter after it as the
    ‰'s ring, then as nothing; a final 。 as a speck (no value
    ends a sentence), and a final decimal point after a digit; a point between a figure
    and a word, or a middle dot between a word and a figure, as a speck, and a semicolon
    before three digits as their thousands comma, before the text as read (the point's
    digits may be lost, and the two mean different things, so either is doubt); a Latin O inside a figure as
    the 0 it looks like, after the text as read (the recogniser may be right)."""
    text = _RING_AFTER_PERMILLE.sub("", text)
    out = [text]
    if _RING_AFTER_SIGN.search(text):
        out = [_RING_AFTER_SIGN.sub("%", text), _RING_AFTER_SIGN.sub("‰", text)]
    elif _LETTER_AFTER_SIGN.search(text):
        out = [_LETTER_AFTER_SIGN.sub(r"\1‰", text), _LETTER_AFTER_SIGN.sub(r"\1%", text)]
    out = [t[:-1].rstrip() if t.endswith("。") and len(t) > 1 or _SPECK_AFTER_FIGURE.search(t) else t
           for t in out]
    out = [s for t in out for s in _figure_first(t, _SPECK_IN_FIGURE, "")]
    out = [s for t in out for s in _figure_first(t, _SEMICOLON_GROUP, ",")]
    return out + [z for t in out if (z := _LETTER_ZERO.sub("0", t)) != t]


def _figure_first(text: str, mark: re.Pattern[str], instead: str) -> list[str]:
    """``text`` with ``mark`` replaced, then as read, where the replaced text is a number
    and the text as read is none (a speck, a misread separator: a figure that could not
    be read as one); else as read alone (1.按时完成 is a numbered phrase, read right)."""
    if not mark.search(text) or parse_value(text).kind == "number":
        return [text]
    figure = mark.sub(instead, text)
    return [figure, text] if parse_value(figure).kind == "number" else [text]


def choose(cells: Sequence[Cell], parse: Callable[[str], T], what: str,
           meaning: Callable[[T], object] = lambda parsed: parsed,
           spellings: Callable[[str], list[str]] | None = None) -> tuple[str, T, list[Issue]]:
    """The likeliest reading of ``cells`` that ``parse`` accepts (raises ValueError
    on a text the field cannot hold), its parse, and a ``reading_ambiguous`` issue
    when another accepted reading means something else (``meaning`` of its parse
    differs). ``spellings`` gives what each reading may stand for, in its place.
    When none is accepted, the first reading's error propagates."""
    texts = readings(cells)
    if spellings is not None:
        texts = list(dict.fromkeys(s for t in texts for s in spellings(t)))
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


# a figure as prose quotes it: a comparator, a number with its separators, a % or ‰
_FIGURE = re.compile(r"[<>≤≥≦≧]?\d+(?:[.,]\d+)*[%‰]?")


def figures(text: str) -> list[str]:
    """The figures a text quotes, in order (full-width forms folded, spaces dropped)."""
    return _FIGURE.findall(re.sub(r"\s+", "", fold(text)))


def unnamed(what: str, cells: Sequence[Cell]) -> list[Issue]:
    """``low_confidence`` for a field whose text layer holds a glyph its font names no
    character for (extract's MISSING): what it says there is not known."""
    cell = next((c for c in cells if c.source != "ocr" and MISSING in c.text), None)
    if cell is None:
        return []
    return [Issue("low_confidence", f"{what}: {cell.text!r} has a character the file's font "
                  f"draws but does not name ({MISSING}); check it on the page", cell.page)]


def figure_doubts(cells: Sequence[Cell], what: str) -> list[Issue]:
    """``reading_ambiguous`` for prose whose scanned cells may also say other figures in
    place of those read (another digit, ‰ for %, a comparator), naming the first figure
    in doubt. An alternative that differs only in words, or that loses or adds a figure
    (a digit read as a letter), is left alone: prose has no grammar to settle it, and it
    seldom changes what the text says. Two titles with nothing between them
    (``_TITLES_TOUCHING``) may have lost their 、. A text layer's glyph without a character is
    ``low_confidence`` first (``unnamed``)."""
    missing = unnamed(what, cells)
    if missing:
        return missing
    for cell in cells:
        mine = figures(cell.text)
        for other in cell.alternatives:
            theirs = figures(other)
            if len(theirs) != len(mine) or theirs == mine:
                continue  # a figure lost or gained is a misread, not another figure it may say
            read, also = next((a, b) for a, b in zip(mine, theirs, strict=True) if a != b)
            return [Issue("reading_ambiguous", f"{what}: read {read!r}, but the scan may also say "
                          f"{also!r} there; check its figures on the page", cell.page)]
    for find, says in _PROSE_DOUBTS:
        for cell in cells:
            found = find(cell.text) if cell.source == "ocr" else None
            if found:
                return [Issue("reading_ambiguous", f"{what}: {says.format(found)}; check it on the "
                              "page", cell.page)]
    return []


# marks that stand where prose has a ，；。 or a title's bracket, and that a scan reads
# from one of those: a middle dot or a colon between two words, a middle dot after a
# mark of prose's own (a speck: "》、·《"), a colon or a point between a title and a
# word, a colon inside a figure
_ODD_MARK = re.compile(r"(?<=[\u4e00-\u9fff])[·•・∙:：](?=[\u4e00-\u9fff])"
                       r"|(?<=[、，；。])\s*[·•・∙](?=\s*[《\u4e00-\u9fff])"
                       r"|(?<=[》」』])[.．:：·](?=[\u4e00-\u9fff])"
                       r"|(?<=\d)[:：](?=\d{2}[万元%‰])")


def odd_punctuation(text: str) -> str | None:
    """The first mark of scanned prose that prose does not print where it stands
    (``_ODD_MARK``), or a title opened with 《 and not closed with 》 before the next 《
    or the text's end (its 》 read as ）): the three characters around it."""
    found = _ODD_MARK.search(text)
    if found:
        return text[max(0, found.start() - 1):found.end() + 1]
    for opened in re.finditer("《", text):
        rest = text[opened.end():]
        close, again = rest.find("》"), rest.find("《")
        if close < 0 or 0 <= again < close:
            return text[opened.start():opened.start() + 12]
    return None


def prose_reading(cell: Cell) -> Cell:
    """A scanned prose cell as the reading of it that prose can print: where its text
    has punctuation prose does not put there (``odd_punctuation``: a title's 》 read as
    >) and another reading of the same ink differs from it in marks only and has none,
    that reading. Only marks: letters and figures have no grammar in prose to settle
    them (figure_doubts points at those)."""
    if cell.source != "ocr" or not cell.alternatives or odd_punctuation(cell.text) is None:
        return cell
    words = _words(cell.text)
    fits = next((a for a in cell.alternatives
                 if _words(a) == words and odd_punctuation(a) is None), None)
    return cell if fits is None else replace(cell, text=fits,
                                             alternatives=(cell.text, *(a for a in cell.alternatives
                                                                        if a != fits)))


def _words(text: str) -> str:
    """The text without its marks (what prose has a grammar for is the marks)."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


# two titles side by side: a list of them puts a 、 between, whose small stroke a scan
# loses between two brackets' large ones
_TITLES_TOUCHING = re.compile(r"》\s*《")


_CLAUSE_END = re.compile(r"[。；;，,！!？?：:]")


def mixed_rates(text: str) -> tuple[str, str] | None:
    """Two figures of one clause in different rate signs ("覆盖率由53%提高到86.6‰"): a
    clause that quotes two rates compares them, in one sign, and the ring that tells %
    from ‰ is the scan's least sure stroke. Rates in different clauses may differ
    ("达到95%，逾期率控制在1‰以内"). None when no clause mixes them."""
    for clause in _CLAUSE_END.split(fold(text)):
        rates = [f for f in figures(clause) if f[-1] in "%‰"]
        for a, b in zip(rates, rates[1:], strict=False):
            if a[-1] != b[-1]:
                return a, b
    return None


# figures no prose prints, though a scan misread may: two separators in a row
# ("27.,441"), two decimal points outside a date ("18193.7.4"), or a decimal point
# with no digit before it, after a word ("达到.95%": a speck). Letters before a figure
# are left alone here (PM2.5, No.3)
MISSHAPEN = re.compile(r"\d[.,，。、][.,，。、]\d"
                        r"|(?<![\d.])(?!(?:19|20)\d\d\.\d{1,2}\.\d{1,2}(?![\d.]))\d+\.\d+\.\d"
                        r"|(?<=[\u3400-\u9fff,;:。、()《》“”])\.\d")  # after fold: ，；： are ,;:


def _quoted(pattern: re.Pattern[str], folded: bool = False) -> Callable[[str], str | None]:
    def find(text: str) -> str | None:
        found = pattern.search(fold(text) if folded else text)
        return repr(found.group()) if found else None
    return find


def _rates_quoted(text: str) -> str | None:
    pair = mixed_rates(text)
    return f"{pair[0]!r} and {pair[1]!r}" if pair else None


def _label_quoted(text: str) -> str | None:
    inside = labels.label_inside(text)
    return repr(inside) if inside else None


def _odd_quoted(text: str) -> str | None:
    odd = odd_punctuation(text)
    return repr(odd) if odd else None


# the doubts of scanned prose after its figures', in order: what finds one in a cell's
# text (quoted), and what the issue says of it
_PROSE_DOUBTS: tuple[tuple[Callable[[str], str | None], str], ...] = (
    (_quoted(MISSHAPEN, folded=True),
     "read {}, a figure no text prints (a speck or a mark misread by the scan)"),
    (_rates_quoted, "read {} in one clause, rates a clause compares in one sign (% and ‰ "
                    "differ by one ring the scan may misread)"),
    (_quoted(_TITLES_TOUCHING),
     "read {}, two titles with nothing between them, where a list of titles puts a 、 (a "
     "speck the scan may lose)"),
    (_label_quoted, "holds the label {} after text of its own: cells ran together where a "
                    "rule of the table was not seen"),
    (_odd_quoted, "read {}, punctuation prose does not put there (a ，；。 or 》 whose small "
                  "strokes the scan misread)"),
)
