"""The free text around the grid: title, year, 填报部门, money unit, sign-off.

These are read from text wherever it is (a line above the grid, or the first
merged cell, as some producers put the title inside the table), by the labels
the form prints before each value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from extract.model import Cell
from normalize import checks
from normalize.model import Issue, Signoff
from normalize.rows import Row
from normalize.values import fold

TITLE_WORDS = ("绩效目标申报表", "整体绩效目标表", "整体支出绩效目标表", "绩效目标申报")
FORM_TITLE = "部门整体预算绩效目标申报表"
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?")
_UNIT = re.compile(r"单位[:：]?\s*[(（]?\s*(万元|千元|亿元|元)")
# after (盖章) the label has ended, brackets and colon or not (a scan loses a small colon,
# and a seal stamped there its brackets); the name ends where 单位 names the money unit,
# colon or not. A line with no name after its label (the seal is the name) names nobody:
# the name starts with neither a bracket nor a colon nor the money unit's 单位, and is two
# characters at least (盖章处, the place for the seal, is no name)
_FILER_LABEL = r"填报(?:部门|单位)\s*(?:[(（]?\s*(?:盖章|公章)\s*[)）]?\s*[:：]?|[:：])"
_MONEY_UNIT = r"单位[:：]?[(（]?(?:万元|千元|亿元|元)|单位[:：]"
_FILED_BY = re.compile(rf"{_FILER_LABEL}\s*(?![)）:：]|{_MONEY_UNIT})(.{{2,}}?)(?={_MONEY_UNIT}|$)")
_FILER = re.compile(_FILER_LABEL)
_SIGNOFF_LABELS = {
    "filled_by": ("填表人", "填报人"),
    "date": ("填表日期", "填报日期"),
    "phone": ("联系电话", "电话"),
    "head": ("填报单位负责人", "单位负责人", "负责人"),
}


def texts(rows: Sequence[Row]) -> list[str]:
    return [c.text for row in rows for c in row.cells if c.text.strip()]


def find_title(rows: Sequence[Row]) -> str | None:
    """The text naming a 绩效目标申报表 on the first page, without its year part
    (a booklet that mentions such a table in its prose is not the form)."""
    found = title_cell(rows)
    return found[0] if found else None


def is_title(text: str) -> bool:
    """Does the text name a 绩效目标申报表, as a title does: short (a sentence of prose
    that mentions one is not a title)?"""
    folded = fold(text)
    return any(word in folded for word in TITLE_WORDS) and len(folded) <= 40


def names_filer(text: str) -> bool:
    """Is the text a 填报部门 line (the department that filed the form), named or not?"""
    return _FILER.search(fold(text)) is not None


def title_cell(rows: Sequence[Row]) -> tuple[str, Cell] | None:
    """The title (as ``find_title``) and the cell or line it was read from."""
    first = min((r.page for r in rows), default=1)
    for cell in (c for r in rows if r.page == first for c in r.cells if c.text.strip()):
        folded = fold(cell.text)
        if is_title(cell.text):
            title = _YEAR.sub("", folded)
            title = re.sub(r"[(（][)）]", "", title)
            return (title.strip("()（）") or folded), cell
    return None


def doubtful_title(rows: Sequence[Row]) -> Issue | None:
    """``low_confidence`` for a title read by OCR that is not the form's title word for
    word: what else it holds (a seal's character beside it, say) may be a misreading."""
    found = title_cell(rows)
    if found is None or found[1].source != "ocr" or found[0] == FORM_TITLE:
        return None
    title, cell = found
    return Issue("low_confidence", f"title: read {title!r}, which is not the form's title "
                 f"{FORM_TITLE} as printed; check it on the page", cell.page, "/title")


def find_year(rows: Sequence[Row]) -> int | None:
    """The year of the title block: "(2021年度)" or "2021年…申报表"."""
    candidates = texts(rows)
    for text in candidates:
        folded = fold(text)
        if "年度" in folded and len(folded) <= 40:
            m = _YEAR.search(folded)
            if m:
                return int(m.group(1))
    for text in candidates:
        m = _YEAR.search(fold(text))
        if m and len(fold(text)) <= 40:
            return int(m.group(1))
    return None


def find_unit(rows: Sequence[Row]) -> str | None:
    for text in texts(rows):
        m = _UNIT.search(fold(text))
        if m:
            return m.group(1)
    return None


def filed_by_cell(rows: Sequence[Row]) -> tuple[str, Cell] | None:
    """The department named on the 填报部门 line, and the cell or line it was read from."""
    for cell in (c for row in rows for c in row.cells if c.text.strip()):
        m = _FILED_BY.search(fold(cell.text))
        if m and m.group(1).strip():
            return m.group(1).strip(), cell
    return None


def department_doubts(named: Cell | None, filed: tuple[str, Cell] | None) -> list[Issue]:
    """Doubt on the department where a scan names it: the form names it twice, as 部门名称
    and on the 填报部门 line, and the seal is stamped over the latter. Read from the line
    alone, weakly, it is ``low_confidence`` (a seal's trace reads as characters beside
    it); read in both places and differing, ``reading_ambiguous``: either may hold a
    seal's trace, or lose a character to it, and which is whole no string can say."""
    if filed is None or filed[1].source != "ocr" and (named is None or named.source != "ocr"):
        return []
    if named is None or not named.text.strip():
        return [replace(i, field="/department") for i in checks.low_confidence("填报部门", [filed[1]])]
    if fold(named.text) == fold(filed[0]):
        return []
    return [Issue("reading_ambiguous", f"department: 部门名称 reads {named.text.strip()!r} but the "
                  f"填报部门 line {filed[0]!r}; check it on the page", named.page, "/department")]


def _iso_date(text: str) -> str | None:
    """The date as YYYY-MM-DD ("20210203", "2022年1月5日", "2022-01-05"); None when the
    text is no date, or names a day no calendar has (2022年13月45日)."""
    digits = re.findall(r"\d+", text)
    if len(digits) == 1 and len(digits[0]) == 8:
        parts = digits[0][:4], digits[0][4:6], digits[0][6:]
    elif len(digits) >= 3 and len(digits[0]) == 4:
        parts = digits[0], digits[1], digits[2]
    else:
        return None
    try:
        return date(*(int(p) for p in parts)).isoformat()
    except ValueError:
        return None


def _signoff_text(rows: Sequence[Row]) -> tuple[str, list[Cell]]:
    """The lines that carry sign-off labels, each with the short unlabelled lines
    that continue it (a name wrapped onto the next line: right below it, from its
    left edge), but not a footer further down or a note; and the cells they are."""
    words = [w for ws in _SIGNOFF_LABELS.values() for w in ws]
    out: list[str] = []
    cells: list[Cell] = []
    last: Cell | None = None
    for row in rows:
        for cell in row.cells:
            folded = fold(cell.text)
            if not folded:
                continue
            if any(w in folded for w in words) or \
                    last is not None and len(folded) <= WRAPPED_TAIL and _continues(last, cell):
                out.append(folded)
                cells.append(cell)
                last = cell
            else:
                last = None
    return "".join(out), cells


def _continues(line: Cell, below: Cell) -> bool:
    height = max(line.bbox[3] - line.bbox[1], 1.0)
    # (line boxes that include their leading overlap a little)
    return (below.page == line.page and -0.25 * height <= below.bbox[1] - line.bbox[3] <= height
            and abs(below.bbox[0] - line.bbox[0]) <= 2 * height)


WRAPPED_TAIL = 8  # characters: a wrapped name or number, not a note


def _signoff_values(text: str) -> dict[str, str]:
    """What follows each sign-off label, up to the next label."""
    every = sorted({w for words in _SIGNOFF_LABELS.values() for w in words}, key=len, reverse=True)
    label = "|".join(re.escape(w) for w in every)
    found: dict[str, str] = {}
    for m in re.finditer(rf"({label})[:：]?(.*?)(?=(?:{label})[:：]?|$)", text):
        word, value = m.group(1), m.group(2).strip(" :：")
        for key, words in _SIGNOFF_LABELS.items():
            if word in words and key not in found:
                found[key] = value
    return found


# a telephone number as China prints one: a mobile (11 digits from 13-19, grouped or not,
# after +86 or not), or a landline of 7-8 digits, after an area code of 0 and 2-3 digits
# or not, an extension after it; one or several, a note in brackets after each or not
_DASH = "[-－—–]"
_ONE_PHONE = (rf"(?:(?:\+?86{_DASH}?)?1[3-9]\d(?:{_DASH}?\d{{4}}){{2}}"
              rf"|(?:[(（]?0\d{{2,3}}[)）]?{_DASH}?)?[1-9]\d{{6,7}}(?:(?:{_DASH}|转)\d{{1,5}})?)"
              r"(?:[(（][^)）]{1,6}[)）])?")
_PHONE = re.compile(rf"{_ONE_PHONE}(?:[、,，;；/]{_ONE_PHONE})*")


def read_signoff(rows: Sequence[Row]) -> tuple[Signoff, list[Issue]]:
    """填表人 … 填表日期 … 联系电话 … 填报单位负责人 …, in one line or several, and the
    doubts on it (``signoff_doubts``), its lines gathered once."""
    text, cells = _signoff_text(rows)
    if not text:
        return Signoff(), []
    found = _signoff_values(text)
    signoff = Signoff(filled_by=found.get("filled_by") or None, date=_iso_date(found.get("date", "")),
                      phone=found.get("phone") or None, head=found.get("head") or None)
    return signoff, _signoff_doubts(found, cells)


def signoff_doubts(rows: Sequence[Row]) -> list[Issue]:
    """The doubts ``read_signoff`` finds on the sign-off."""
    return read_signoff(rows)[1]


def _signoff_doubts(found: dict[str, str], cells: Sequence[Cell]) -> list[Issue]:
    """``value_unreadable`` on a scanned sign-off's date that is no date ("02 1/20") and
    phone that no telephone number is (a mobile with 10 digits): the recogniser drops
    or merges a digit as surely as it reads the rest, and only the value's shape shows it.
    A date with no figure at all (a blank 年 月 日, a date in words) is not doubted; each
    value is judged where its label was read (a text layer's sign-off is the filer's)."""
    out = []
    value = found.get("date", "")
    if value and re.search(r"\d", value) and _iso_date(value) is None:
        out += _doubt("date", cells, f"填表日期: read {value!r}, which is no date")
    value = found.get("phone", "")
    if value and not _PHONE.fullmatch(value):
        out += _doubt("phone", cells, f"联系电话: read {value!r}, which no telephone number is "
                      "(a mobile has 11 digits, a landline 7-8 after its area code)")
    return out


def _doubt(key: str, cells: Sequence[Cell], what: str) -> list[Issue]:
    """The issue on sign-off field ``key``, where the cell holding its label was scanned."""
    cell = next((c for c in cells if any(w in fold(c.text) for w in _SIGNOFF_LABELS[key])), None)
    if cell is None or cell.source != "ocr":
        return []
    return [Issue("value_unreadable", f"{what}; check it on the page", cell.page, f"/signoff/{key}")]


def find_signoff(rows: Sequence[Row]) -> Signoff:
    """The sign-off ``read_signoff`` reads."""
    return read_signoff(rows)[0]
