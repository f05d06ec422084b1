"""Rows a page break cut in two, rejoined.

Word, WPS, LibreOffice and HTML engines let a table row break across pages wherever
the page ends: every cell of the row keeps the lines that fit on the first page and
carries the rest over. A short cell (a unit, an amount) usually fits whole; a long one
(a name, a value that wraps, prose) is cut between two of its lines, which may fall
inside a word or a number (``重点工作办结及`` / ``时率``, ``不低于`` / ``92%``,
``2.商品和服务`` / ``支出``).

So the first data row after a page break may be the rest of the last row before it.
Each reader describes its columns (``Field``) and ``decide`` weighs, column by column:

* the row's name cell is blank: the name fitted above and only the rest carried over;
* a cell above whose last line stops well short of its edge had ended (a wrapped line
  fills its cell), so text under it starts a row (unless that text is a number or a
  Latin word, which wraps whole and leaves a short line);
* a cell and the one above make one thing where the lower part alone is not one
  (``61及`` + ``以下`` is a value, ``以下`` is not; ``商品和服务`` + ``支出`` is a
  standard budget line), or the break falls inside a word (``人民调`` / ``解规范性``):
  the rest of the row, on evidence;
* the lower cell starts something of its own (a numbered or standard line name), or
  a whole cell above makes nothing with the one below (``95%`` / ``规范``): a new row;
  so is a row that shares cells with the row above and fills one it left blank,
  unless the only cells it shares are prose the break cut mid-sentence (then probably
  the rest of the row, whose short cell was carried over whole: joined and reported);
* the two rows fill different cells: the rest of the row (a producer that centres
  text may put a short cell on either side of the break); but when both print a name,
  probably a new row after one with blank values (kept apart and reported,
  ``Join.APART``);
* a row that only lacks what the row above has is probably the rest of it; when every
  prose cell above also stops mid-sentence and every other fills its line, it is.
  Prose that ends a clause right at its cell's edge may go on too, as likely as prose
  that stops mid-sentence. A probable join is made and reported (``Join.DOUBT``), since
  a new row could look the same;
* some prose above stops mid-sentence and some does not: probably a new row, but the
  cut cell may go on in it (kept apart and reported, ``Join.APART``).

``Stitcher`` applies this to a table's rows for every reader of row tables.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Generic, Literal, TypeVar

from extract.model import Cell
from normalize.text import join_text
from normalize.words import splits_a_word

# "unlikely": probably not one cell, on weaker evidence than "new" (a join elsewhere in
# the row outweighs it, and the row is then reported)
Verdict = Literal["join", "likely", "unlikely", "new"] | None
R = TypeVar("R")


class Join(Enum):
    NEW = "new"          # a row of its own
    JOIN = "join"        # the rest of the row above, on evidence
    DOUBT = "doubt"      # probably the rest of the row above: joined, and reported
    APART = "apart"      # probably a row of its own: kept apart, and reported


# What ``row_join_uncertain`` says of a row, by how it was decided.
DOUBTS = {Join.DOUBT: "a row cut by a page break was joined with the row above it; check",
          Join.APART: "the row after a page break was kept as a row of its own, but it may be "
                      "the rest of the row above it; check"}
# ... and of the row above one kept apart: if the two are one, this one is cut short
CUT_SHORT = ("the row before a page break may go on in the row after it, which was kept as "
             "a row of its own; check")


@dataclass(frozen=True)
class Field:
    """A reader's column as judged at a break: ``pair(above, below)`` says what two
    non-blank parts of it make (None: nothing either way); ``key`` marks the column
    that names the row."""

    pair: Callable[[str, str], Verdict] | None = None
    key: bool = False


# Where a sentence or a clause ends: prose stopping here may well end its cell.
_SENTENCE_END = re.compile(r"[。；;！!？?…）)」』”\"]$")


def unfinished(text: str) -> bool:
    """Prose that stops mid-sentence (as a cut between two lines of a cell does)."""
    text = text.strip()
    return bool(text) and not _SENTENCE_END.search(text)


def prose_pair(above: str, below: str) -> Verdict:
    return "likely" if unfinished(above) else None


def grammar_pair(whole: Callable[[str], bool], starts: Callable[[str], bool] | None = None,
                 cut: Callable[[str, str], bool] | None = None) -> Callable[[str, str], Verdict]:
    """A pair judge for a column with a grammar: ``whole(text)`` when the text is a
    complete cell of that column, ``starts(text)`` when it can only begin one,
    ``cut(above, below)`` when the two parts read as one cell cut in two (by default:
    together they are whole, and the part above is not)."""

    def pair(above: str, below: str) -> Verdict:
        if starts is not None and starts(below):
            return "new"
        together = whole(join_text((above, below)))
        if together and (cut(above, below) if cut is not None else not whole(above)):
            return "join"
        if not together and not (cut is not None and cut(above, below)):
            if whole(above):
                return "new"  # a whole cell, and one that makes nothing with it ("95%", "规范")
            if whole(below):
                # a whole cell below that the one above does not begin ("明显提升成效" /
                # "=9425盏"): the rest of a cut value makes one value with its part above
                return "unlikely"
        return None

    return pair


def _room(cell: Cell | None) -> float | None:
    """How much of the cell's width its last line leaves, in line heights."""
    if cell is None or cell.last_line is None:
        return None
    x0, top, x1, bottom = cell.last_line
    return ((cell.bbox[2] - cell.bbox[0]) - (x1 - x0)) / max(bottom - top, 1.0)


def stops_short(cell: Cell | None) -> bool:
    """Does the cell's last line stop well short of its width? Then its text ended
    there: a wrapped line fills its cell, so a cut cell's last line above the break
    does too."""
    room = _room(cell)
    return room is not None and room > 4.0  # (padding and line-breaking rules take some)


def fills_line(cell: Cell | None) -> bool:
    """Does the cell's last line leave no room for another character (as a line that
    wrapped does)?"""
    room = _room(cell)
    return room is not None and room < 1.3


@dataclass(frozen=True)
class Part:
    """A row as a reader placed it, as a break is judged: each column's text ('' when
    blank), the columns whose cell visibly ends (``stops_short``) or fills its last
    line (``fills_line``), and its cells (by id)."""

    texts: Mapping[str, str]
    ended: frozenset[str] = frozenset()
    full: frozenset[str] = frozenset()
    cells: frozenset[int] = frozenset()
    printed: Mapping[str, str] = field(default_factory=dict)  # where ``texts`` add to the print
    suffix: str = ""  # what ``texts`` add to the print (a value's unit from its own column)


def part(texts: Mapping[str, str], cells: Mapping[str, Cell],
         printed: Mapping[str, str] | None = None, suffix: str = "") -> Part:
    """A row's ``Part``; ``cells`` gives each column's (last) cell; ``printed`` the
    cells' own texts where ``texts`` judges them with the row's ``suffix`` after them
    (a value with its row's unit)."""
    return Part(texts, frozenset(f for f, c in cells.items() if stops_short(c)),
                frozenset(f for f, c in cells.items() if fills_line(c)),
                frozenset(id(c) for c in cells.values()), dict(printed or {}), suffix)


def _word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def decide(upper: Part, lower: Part, fields: Mapping[str, Field]) -> Join:
    """Is ``lower`` (the first data row after a page break) the rest of ``upper``
    (the last data row before it)?"""
    above, below, ended, full = upper.texts, lower.texts, upper.ended, upper.full
    have_above = {f for f, t in above.items() if t.strip()}
    have_below = {f for f, t in below.items() if t.strip()}
    if not have_below or not have_above:
        return Join.NEW if have_below else Join.JOIN
    keys = [f for f, spec in fields.items() if spec.key]
    if keys and not any(f in have_below for f in keys):
        return Join.JOIN
    # text below a cell that had ended is a row of its own (the name below is printed, so
    # this is not a paragraph that ended mid-line and went on), unless it starts with a
    # word that cannot be broken (a number, a Latin word), which wraps whole and leaves
    # its line short ("控制在" / "11700.71")
    if any(not (_word_char(below[f].lstrip()[:1]) and not _word_char(above[f].rstrip()[-1:]))
           for f in set(ended) & have_above & have_below):
        return Join.NEW
    verdicts = []
    prose_verdicts = []
    at_edge = False  # a prose cell above ends a clause right at its edge: it may go on
    for f in have_above & have_below:
        judge = fields[f].pair if f in fields else None
        verdict = judge(above[f], below[f]) if judge is not None else None
        if verdict == "new" and f in upper.printed and not lower.suffix \
                and below[f].lstrip()[:1].isdigit():
            # digits below, in a part with no unit of its own, may finish a number the
            # break cut (1172.4 / 9及以上): the unit added above follows the whole number,
            # not its part (a new row prints its own unit, and stays a new row)
            verdict = judge(upper.printed[f], below[f])
        if verdict in (None, "likely") and splits_a_word(above[f], below[f]):
            verdict = "join"  # the break falls inside a word (人民调 / 解规范性)
        elif verdict is None and judge is prose_pair and f in full:
            verdict = "likely"  # a clause that ends at its cell's edge may well go on
            at_edge = True
        if judge is not None or verdict is not None:
            verdicts.append(verdict)
            if judge is prose_pair:
                prose_verdicts.append(verdict)
    if "new" in verdicts:
        return Join.NEW
    if "join" in verdicts:
        return Join.DOUBT if "unlikely" in verdicts else Join.JOIN
    if "unlikely" in verdicts:
        return Join.NEW
    shared = (have_above & have_below) - set(keys)
    if not shared:
        # the two parts hold different cells: a centred short cell may sit on either side
        # of a break; but when both print a name in the same column, a row after one with
        # blank values looks the same
        if not have_below - set(keys):
            return Join.DOUBT
        return Join.APART if have_above & have_below & set(keys) else Join.JOIN
    # every shared cell that can stop mid-sentence does, and every other fills its last
    # line to the edge: a cut goes through all of them
    prose = {f for f, spec in fields.items() if spec.pair is prose_pair}
    rest = shared - prose
    all_cut = all(v == "likely" for v in prose_verdicts) and rest <= set(full) \
        and (bool(prose_verdicts) or len(rest) >= 2)
    if have_below - have_above:
        # it fills a cell the row above left blank: a new row, unless all it shares with
        # that row but its name is prose cut mid-sentence (a producer may carry a whole
        # short cell over the break, leaving it blank above). A clause that only ends at
        # its cell's edge is no such cut: the row keeps apart, reported (seed 997714: a
        # task whose content ended "。" at the edge took in the next task, name and all)
        if all_cut and prose_verdicts and not rest:
            return Join.APART if at_edge else Join.DOUBT
        return Join.NEW
    if have_above - have_below:
        # sure only where the prose stops mid-sentence: a clause that ends at its cell's
        # edge may as well end the row (seed 932034: a task whose content ended so, and
        # whose functions and projects the next task left blank, took that task in)
        return Join.JOIN if all_cut and not at_edge else Join.DOUBT
    if all_cut:
        return Join.DOUBT
    # some prose above stops mid-sentence, some does not: probably a row of its own, but
    # the cut one may go on (seed 932002, scanned: a goal's last line "803份。" carried
    # over the break was a record of its own, in silence)
    cut = any(fields[f].pair is prose_pair and unfinished(above[f]) for f in have_above & have_below)
    return Join.APART if cut else Join.NEW


def ahead(upper: Part, lower: Part, fields: Mapping[str, Field]) -> bool:
    """Is ``upper`` (a row without a name, the last before a page break) the first part
    of ``lower`` (the first row after it)? A producer that centres a cell's text in the
    row can leave every value above the break and the short name below it: the row
    below then holds the name and nothing of what the row above holds but prose; or its
    cells go on from the ones above, as any cut row's do."""
    keys = {f for f, spec in fields.items() if spec.key}
    have_held = {f for f, t in upper.texts.items() if t.strip()}
    have_below = {f for f, t in lower.texts.items() if t.strip()}
    if keys & have_held or not keys & have_below or not have_held:
        return False
    prose = {f for f, spec in fields.items() if spec.pair is prose_pair}
    return not (have_held & have_below) - prose or decide(upper, lower, fields) is Join.JOIN


class Stitcher(Generic[R]):
    """The rows of one table as records, rows cut by page breaks rejoined; shared by every
    reader of row tables (indicators, tasks, prior-year results).

    A row without its name (``blank``) is the rest of the record above; unless a page
    break follows it and the first row after the break turns out to carry its name
    (``ahead``), so such a row is held until the next one is seen. The first row after
    a break is the rest of the record above as ``decide`` says; ``veto`` may forbid that
    from what the reader knows (a new group name). ``row`` returns ``None`` when the row
    went into the record above, else the cells that start a new record (a held first
    part, then the row); ``finish`` puts a row still held where it belongs.
    """

    def __init__(self, fields: Mapping[str, Field], records: list[R],
                 add: Callable[[R, dict[str, Cell]], None]) -> None:
        self.fields, self.records, self.add = fields, records, add
        self.doubts: list[tuple[R, str]] = []  # records decided on likelihood, what to say
        self.apart = False  # the record the last row started was kept apart on likelihood
        self.last = Part({})
        self.held: tuple[dict[str, Cell], Part] | None = None

    def row(self, placed: dict[str, Cell], this: Part, blank: bool, at_break: bool,
            veto: Callable[[Part], bool] | None = None) -> list[dict[str, Cell]] | None:
        self._noted()
        carry = None
        if self.held is not None:
            cells, part_held = self.held
            if not self.records or (at_break and not blank and ahead(part_held, this, self.fields)):
                carry = cells  # (a nameless first row is the first part of the next)
            else:
                self.add(self.records[-1], cells)
            self.held = None
        upper, self.last = self.last, this
        if blank and (self.records or carry is None):
            if at_break and self.records:
                self.add(self.records[-1], placed)
            else:
                self.held = (placed, this)
            return None
        if self.records and at_break and carry is None and not (veto and veto(upper)):
            verdict = decide(upper, this, self.fields)
            if verdict in (Join.JOIN, Join.DOUBT):
                if verdict is Join.DOUBT:
                    self.doubts.append((self.records[-1], DOUBTS[verdict]))
                self.add(self.records[-1], placed)
                return None
            self.apart = verdict is Join.APART
        return [carry, placed] if carry is not None else [placed]

    def _noted(self) -> None:
        if self.apart:  # the reader has made the record by now: it is the last one
            self.doubts.append((self.records[-1], DOUBTS[Join.APART]))
            if len(self.records) >= 2:
                # if the two are one, the record above lacks its rest (a name cut short,
                # a value blank): it is as much in doubt as the one kept apart
                self.doubts.append((self.records[-2], CUT_SHORT))
            self.apart = False

    def finish(self) -> list[dict[str, Cell]] | None:
        """Put a row still held where it belongs; the cells of a record it starts (a table
        of nameless rows) are returned."""
        self._noted()
        held, self.held = self.held, None
        if held is None:
            return None
        if not self.records:
            return [held[0]]
        self.add(self.records[-1], held[0])
        return None

    def doubt(self, record: R) -> str | None:
        """What ``row_join_uncertain`` says of the record, if anything."""
        said = [message for r, message in self.doubts if r is record]
        return "; ".join(said) if said else None
