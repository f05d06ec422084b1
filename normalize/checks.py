"""Cross-checks of what was read, as findings with stable codes.

A check that cries wolf is worse than none: each one fires only on evidence that
is certainly printed on the form (both sides of a sum read as numbers).

Codes: ``budget_total_mismatch``, ``budget_subtotal_mismatch``, ``period_order``,
``income_expenditure_mismatch``, ``budget_hierarchy_uncertain`` and ``row_join_uncertain``
(raised while reading),
``value_unreadable`` (raised while reading), ``section_missing``, ``low_confidence``
(an OCR'd value cell read with confidence under ``LOW_CONFIDENCE``) and
``reading_ambiguous`` (a scanned value two of whose readings fit: normalize/readings.py),
``scan_too_coarse`` (a scanned page whose type is too few pixels tall to read reliably),
``scan_poorly_read`` (a scanned page many of whose cells were read weakly),
``name_unreadable`` (raised while reading: a scanned budget name holding figures).

Each issue points (``Issue.field``) at what it concerns: the checks here run on the
final budget lines, whose index is their index in the export; the issues readers
raise are pointed by normalize/pointers.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from extract.model import UNREADABLE_LAYER, Cell, PageGrid
from normalize import labels
from normalize.budget_items import is_total
from normalize.model import BudgetLine, Issue, pointer
from normalize.readings import MISSHAPEN, mixed_rates, unnamed
from normalize.rows import Row
from normalize.values import DIGITS_APART, fold, near_number

LOW_CONFIDENCE = 0.8  # an OCR'd value read with less confidence than this needs a person
# characters fewer pixels tall than this lose strokes to the scan (6 pt at 150 dpi is 12 px)
MIN_TEXT_PX = 12
# a 1-bit page (a fax) needs its characters twice as tall: a grey pixel places an edge
# within it, a black-or-white one only says which side of it it falls, so the slicer
# breaks thin strokes and the recogniser reads what is left confidently (a fax's 4
# read as 1 in a line and in its total alike)
BILEVEL_TEXT_PX = 2 * MIN_TEXT_PX
# a page whose cells this many, and this share of them, were read under LOW_CONFIDENCE was
# read poorly as a whole (a well-read page has one or two; a garbled one ten and more)
POORLY_READ = (5, 0.08)
# the export's fields each section's rows are read into
SECTION_FIELDS = {"preamble": ("department", "subordinate_units", "staffing_quota", "funded_staff"),
                  "trailer": ("signoff",), "prior_year": ("prior_year_results",),
                  "tasks": ("work_tasks",), "budget": ("budget",), "indicators": ("indicators",),
                  "functions": ("functions",), "policies": ("policies",),
                  "strategic_goals": ("strategic_goals",), "annual_goals": ("annual_goals",)}
REQUIRED_SECTIONS = {"budget": "年度部门预算", "indicators": "绩效目标"}
# the sections a form may leave out (FORM.md), by their export names
OPTIONAL_SECTIONS = {"functions": "部门职能", "policies": "负责执行的相关政策",
                     "strategic_goals": "部门中长期战略目标", "annual_goals": "年度绩效目标",
                     "prior_year_results": "上年度绩效目标完成情况", "work_tasks": "年度工作任务"}
PERIOD_NAMES = {"annual": "全年数", "h1": "上半年数", "q3": "前三季度数"}
SIDE_NAMES = {"income": "预算收入", "expenditure": "预算支出"}


def _page(line: BudgetLine) -> int | None:
    return line.provenance.page if line.provenance else None


def budget_totals(lines: Sequence[BudgetLine]) -> list[Issue]:
    """合计 must equal the sum of its side's top-level lines, to the cent."""
    issues = []
    for side in ("income", "expenditure"):
        mine = [(i, ln) for i, ln in enumerate(lines) if ln.side == side]
        totals = [(i, ln) for i, ln in mine if is_total(ln.item)]
        if not totals:
            continue
        at, total = totals[-1]
        tops = [(i, ln) for i, ln in mine if ln.parent is None and not is_total(ln.item)]
        summed_at: dict[int, list[str]] = {}  # the lines of a sum that failed, and its periods
        blank: dict[int, list[str]] = {}  # the scanned lines with no amount where one failed
        for period in PERIOD_NAMES:
            printed = getattr(total, period).value
            summed_lines = [(i, ln) for i, ln in tops if getattr(ln, period).value is not None]
            if printed is None or not summed_lines:
                continue
            summed = sum((getattr(ln, period).value for _, ln in summed_lines), Decimal(0))
            if abs(summed - printed) >= Decimal("0.000001"):
                names = ", ".join(ln.item for _, ln in summed_lines)
                issues.append(Issue(
                    "budget_total_mismatch",
                    f"{SIDE_NAMES[side]} {total.item} {PERIOD_NAMES[period]} is {printed} 万元 but its "
                    f"lines ({names}) add up to {summed} 万元", _page(total),
                    pointer("budget", at, period)))
                for i, _ in summed_lines:
                    summed_at.setdefault(i, []).append(PERIOD_NAMES[period])
                # and the side's scanned lines with no amount there: one the sum should
                # have held may have been read as nothing (faint figures), and with no
                # amount, no sum says where it is filed (a text layer's blank is printed
                # blank): its amount and its parent
                for i, ln in mine:
                    if getattr(ln, period).value is None and not is_total(ln.item) \
                            and ln.provenance is not None and ln.provenance.source == "ocr":
                        blank.setdefault(i, []).append(period)
        issues += summed_in(lines, summed_at, "budget_total_mismatch",
                            f"the lines {SIDE_NAMES[side]} {total.item} sums")
        issues += [Issue("budget_total_mismatch", f"{lines[i].item} has no "
                         f"{'、'.join(PERIOD_NAMES[p] for p in periods)} read, where {SIDE_NAMES[side]} "
                         f"{total.item} does not add up: it may have been read as nothing; check "
                         "its amount and where it is filed", _page(lines[i]), pointer("budget", i, field))
                   for i, periods in blank.items() for field in (*periods, "parent")]
    return issues


def summed_in(lines: Sequence[BudgetLine], summed_at: Mapping[int, Sequence[str]], code: str,
              what: str) -> list[Issue]:
    """The lines of a sum that does not add up, each pointed at (once, with the periods
    that fail): any of them, its amount or its place under the total, may be what is
    wrong."""
    return [Issue(code, f"{lines[i].item} is one of {what}, which do not add up in "
                  f"{'、'.join(periods)}; check its amounts and where it is filed", _page(lines[i]),
                  pointer("budget", i))
            for i, periods in summed_at.items()]


def budget_subtotals(lines: Sequence[BudgetLine]) -> list[Issue]:
    """其中 sub-items must not add up to more than their parent line."""
    issues = []
    for at, parent in enumerate(lines):
        if parent.parent is not None or is_total(parent.item):
            continue
        subs = [(i, ln) for i, ln in enumerate(lines)
                if ln.side == parent.side and ln.parent == parent.item]
        failed: list[str] = []
        for period in PERIOD_NAMES:
            printed = getattr(parent, period).value
            values = [getattr(ln, period).value for _, ln in subs]
            if printed is None or not any(v is not None for v in values):
                continue
            summed = sum((v for v in values if v is not None), Decimal(0))
            if summed - printed >= Decimal("0.000001"):
                issues.append(Issue(
                    "budget_subtotal_mismatch",
                    f"{parent.item} {PERIOD_NAMES[period]} is {printed} 万元 but its 其中 items "
                    f"add up to {summed} 万元", _page(parent), pointer("budget", at, period)))
                failed.append(PERIOD_NAMES[period])
        if failed:
            issues += summed_in(lines, {i: failed for i, _ in subs}, "budget_subtotal_mismatch",
                                f"the 其中 items of {parent.item}")
    return issues


def period_order(lines: Sequence[BudgetLine]) -> list[Issue]:
    """上半年 ≤ 前三季度 ≤ 全年 for every amount line."""
    issues = []
    for at, line in enumerate(lines):
        h1, q3, annual = line.h1.value, line.q3.value, line.annual.value
        # the earlier period is the one pointed at: it is what exceeds
        if h1 is not None and q3 is not None and h1 > q3:
            issues.append(Issue("period_order", f"{line.item}: 上半年数 {h1} exceeds 前三季度数 {q3}",
                                _page(line), pointer("budget", at, "h1")))
        if q3 is not None and annual is not None and q3 > annual:
            issues.append(Issue("period_order", f"{line.item}: 前三季度数 {q3} exceeds 全年数 {annual}",
                                _page(line), pointer("budget", at, "q3")))
    return issues


def low_confidence(what: str, cells: Sequence[Cell]) -> list[Issue]:
    """``low_confidence`` for a value whose OCR'd cells were read with confidence under
    ``LOW_CONFIDENCE``, or whose text layer holds a glyph its font names no character for
    (readings.unnamed): it names the field and the text read, on the weakest cell's page."""
    missing = unnamed(what, cells)
    if missing:
        return missing
    read = [c for c in cells if c.source == "ocr" and c.text.strip()]
    if not read:
        return []
    weakest = min(read, key=lambda c: c.confidence)
    if weakest.confidence >= LOW_CONFIDENCE:
        return []
    text = "".join(c.text for c in read)
    return [Issue("low_confidence", f"{what}: read {text!r} with confidence "
                  f"{weakest.confidence:.2f}; check it on the page", weakest.page)]


# what no value's figure looks like, though a scan misread may: what no text prints
# (readings.MISSHAPEN), or a Latin letter right before it (units follow their number;
# ≦ read as M, ≥ as V)
_MISSHAPEN_FIGURE = re.compile(r"[A-Za-z]\s*\d|\d\s*[%‰][A-Za-z]|" + MISSHAPEN.pattern)
# thousands grouped by commas, then a point before three digits: the last comma misread
_GROUPS_THEN_POINT = re.compile(r"\d{1,3}(?:,\d{3})+\.\d{3}(?!\d)")


def misread_mark(what: str, cells: Sequence[Cell], read: str, kind: str) -> list[Issue]:
    """``value_unreadable`` for a scanned value that reads as text because its figure is
    misshapen (``_MISSHAPEN_FIGURE``): a mark there was misread, and the text looks as
    sure as any other. ``reading_ambiguous`` for one whose digits stand apart
    (``values.DIGITS_APART``), or a point after comma-grouped thousands: the figure is
    read, but its point may be lost or false. ``value_unreadable`` too for a text value
    one character off a number's spelling (``values.near_number``): a word of it misread
    leaves its figure unread."""
    if not any(c.source == "ocr" for c in cells):
        return []
    if kind == "number" and DIGITS_APART.search(unicodedata.normalize("NFKC", read)):
        return [Issue("reading_ambiguous", f"{what}: read {read!r}, digits standing apart (a "
                      f"full-width figure, whose point a scan may lose); check it on the page",
                      cells[0].page)]
    if kind == "number" and _GROUPS_THEN_POINT.search(fold(read)):
        return [Issue("reading_ambiguous", f"{what}: read {read!r}, a point after thousands "
                      f"grouped by commas (its last comma, misread?); check it on the page",
                      cells[0].page)]
    if kind != "text":
        return []
    mixed = mixed_rates(read)
    if mixed:
        return [Issue("reading_ambiguous", f"{what}: read {read!r}, a range from {mixed[0]!r} to "
                      f"{mixed[1]!r}, whose ends a form gives in one sign (% and ‰ differ by one "
                      f"ring the scan may misread); check it on the page", cells[0].page)]
    if _MISSHAPEN_FIGURE.search(fold(read)):
        return [Issue("value_unreadable", f"{what}: read {read!r}, a figure no value has (a "
                      f"mark such as ≦ or ≥, or a speck by a separator, misread); check it on "
                      f"the page", cells[0].page)]
    near = near_number(read)
    if near is not None:
        return [Issue("value_unreadable", f"{what}: read {read!r}, one character off the value "
                      f"{near!r} (a word of it misread?); its figure is not read; check it on "
                      f"the page", cells[0].page)]
    return []


def missing_sections(read: set[str]) -> list[Issue]:
    """A required section is missing when nothing was read from it: its label
    alone (a header with no rows under it) is not the section."""
    return [Issue("section_missing", f"section {label} ({name}) was not found", field=pointer(name))
            for name, label in REQUIRED_SECTIONS.items() if name not in read]


def unread_sections(pages: Sequence[PageGrid], read: set[str]) -> list[Issue]:
    """``section_missing`` on each section a form may leave out that was not read, when
    the form was read from a scan: a text layer that holds no such section has none,
    but a scan may have lost its label (a faint or broken print, a fax), and its
    absence would pass for a form without it."""
    if not any(page.kind == "scan" for page in pages):
        return []
    return [Issue("section_missing", f"section {label} ({name}) was not found on the scanned "
                  f"pages: the form may leave it out, or its label was not read; check the page",
                  field=pointer(name))
            for name, label in OPTIONAL_SECTIONS.items() if name not in read]


def swallowed_sections(found: Mapping[str, tuple[Sequence[object], str]],
                       rows: Sequence[Row]) -> list[Issue]:
    """``section_missing`` on a table section read as nothing (``found``: export name →
    its records and its label group) whose header stands inside another cell's text
    (labels.label_inside): its rows ran into the cell above where a rule was not seen,
    and the section's absence would otherwise pass for a form without it."""
    issues = []
    for name, (records, group) in found.items():
        if records:
            continue
        found = next(((c, inside) for row in rows for c in row.cells if c.text.strip()
                      and (inside := labels.label_inside(c.text, (group,)))), None)
        if found is not None:
            cell, inside = found
            issues.append(Issue("section_missing", f"{name}: no row read, but its header "
                                f"{inside!r} stands inside another cell's text (a rule of the "
                                f"table not seen); check the page", cell.page, pointer(name)))
    return issues


def unread_tables(found: Mapping[str, tuple[Sequence[object], str, Sequence[Row]]],
                  rows: Sequence[Row], pointed: set[str | None]) -> list[Issue]:
    """``section_missing`` on each table section read as nothing, once (not where
    ``pointed`` already points): its header inside another cell's text
    (``swallowed_sections``), else its label over text with no header
    (``headless_sections``). ``found``: export name → its records, its label group, its
    own rows; ``rows``: every row of the document."""
    swallowed = [issue for issue in swallowed_sections(
        {name: (records, group) for name, (records, group, _) in found.items()}, rows)
        if issue.field not in pointed]
    pointed = pointed | {issue.field for issue in swallowed}
    return swallowed + [issue for issue in headless_sections(
        {name: (records, group, own) for name, (records, group, own) in found.items()})
        if issue.field not in pointed]


def headless_sections(found: Mapping[str, tuple[Sequence[object], str, Sequence[Row]]]
                      ) -> list[Issue]:
    """``section_missing`` on a table section read as nothing (``found``: export name →
    its records, its label group and its rows) whose label was found with text under it
    that is no label of its own: the header of its columns was not found (a page break
    cut it, the first half at the foot of the page before, under the section above), so
    no row could be placed, and the section would pass for an empty one. A header over
    blank rows is a section left empty."""
    issues = []
    for name, (records, group, rows) in found.items():
        if records:
            continue
        text = [c for row in rows for c in row.cells if c.text.strip()
                and labels.match(c.text, "section") is None and labels.match(c.text, group) is None]
        if len(text) >= 2:
            issues.append(Issue("section_missing", f"{name}: its label was found with text under "
                                "it, but not the header of its columns, so no row was read (a "
                                "header cut by a page break?); check the page", text[0].page,
                                pointer(name)))
    return issues


def sides_balance(lines: Sequence[BudgetLine]) -> list[Issue]:
    """预算收入 合计 must equal 预算支出 合计, period by period: a form whose income and
    expenditure differ is reported (at the income total), not refused."""
    totals = {side: [(i, ln) for i, ln in enumerate(lines) if ln.side == side and is_total(ln.item)]
              for side in SIDE_NAMES}
    if not totals["income"] or not totals["expenditure"]:
        return []
    (at, income), (_, spent) = totals["income"][-1], totals["expenditure"][-1]
    issues = []
    for period, label in PERIOD_NAMES.items():
        a, b = getattr(income, period).value, getattr(spent, period).value
        if a is not None and b is not None and abs(a - b) >= Decimal("0.000001"):
            issues.append(Issue(
                "income_expenditure_mismatch",
                f"预算收入 {income.item} {label} is {a} 万元 but 预算支出 {spent.item} is {b} 万元",
                _page(income), pointer("budget", at, period)))
    return issues


def run_all(lines: Sequence[BudgetLine], read_sections: set[str]) -> list[Issue]:
    """The cross-checks of the declaration's final budget ``lines`` (pointers are their
    indices) and of the sections read."""
    return (missing_sections(read_sections) + budget_totals(lines) + budget_subtotals(lines)
            + period_order(lines) + sides_balance(lines))


def misruled_budget(issues: Sequence[Issue]) -> list[Issue]:
    """``name_unreadable`` on the whole budget when two or more of its line names hold
    figures: one such name is a row that ran into its amounts, two or more a rule missed
    down the table, and then every line below may have its amounts, order and parent
    from the wrong cells (only the first rows show it in their names)."""
    rows = [i for i in issues if i.code == "name_unreadable" and i.field
            and i.field.startswith("/budget/")]
    if len(rows) < 2:
        return []
    return [Issue("name_unreadable", f"{len(rows)} budget line names hold figures: a rule of the "
                  "table was not seen, and its lines may have taken amounts, order and parents "
                  "from the wrong cells; check the whole table", rows[0].page, pointer("budget"))]


def poorly_read_scans(pages: Sequence[PageGrid], parts: Mapping[str, Sequence[Row]]
                      ) -> list[Issue]:
    """``scan_poorly_read`` for every section read from a scanned page whose cells were
    read weakly by the score (``POORLY_READ``: that many of them, and that share, under
    ``LOW_CONFIDENCE``): small, blurred or damaged type that the recogniser turns into
    plausible garbage, cell after cell; a well-read page has one or two such cells. A
    coarse page is pointed at whole already (``coarse_scans``)."""
    def reason(page: PageGrid) -> str | None:
        cells = [c for g in page.grids for c in g.cells if c.text.strip() and c.source == "ocr"]
        weak = sum(c.confidence < LOW_CONFIDENCE for c in cells)
        if _too_coarse(page) or weak < POORLY_READ[0] or weak < POORLY_READ[1] * len(cells):
            return None
        return (f"page {page.page}: {weak} of its {len(cells)} cells were read with confidence "
                f"under {LOW_CONFIDENCE} (small, blurred or damaged type); check every field "
                f"read from it (or rescan it)")
    return _whole_pages(pages, parts, "scan_poorly_read", reason)


def unreadable_layers(pages: Sequence[PageGrid]) -> list[Issue]:
    """``text_layer_unreadable`` for each page whose text layer says nothing readable (a
    font without its ToUnicode map): its text was read by OCR from the page's ink, as
    a scan's is, and is no better than that reading; the file's producer lost it."""
    return [Issue("text_layer_unreadable",
                  f"page {page.page}: its text layer says nothing readable (a font without "
                  f"its character map), so what it holds was read by OCR from its ink; check "
                  f"its values as a scan's", page.page, None)
            for page in pages if page.kind == "scan" and page.reason.startswith(UNREADABLE_LAYER)]


def coarse_scans(pages: Sequence[PageGrid], parts: Mapping[str, Sequence[Row]]) -> list[Issue]:
    """``scan_too_coarse`` for every section read from a scanned page whose characters
    are under ``MIN_TEXT_PX`` tall in the image (``BILEVEL_TEXT_PX`` in a 1-bit image):
    nothing read there can be trusted unseen, whatever the recogniser's confidence."""
    def reason(page: PageGrid) -> str | None:
        if not _too_coarse(page):
            return None
        kind = "black-and-white scan (a fax)" if page.bilevel else "scan"
        return (f"page {page.page}: its characters are {page.text_height:.0f} px tall in the "
                f"{kind}, under the {_least_text_px(page)} px a reliable reading needs; check "
                f"every field read from it (or rescan it in grey at a higher resolution)")
    return _whole_pages(pages, parts, "scan_too_coarse", reason)


def _too_coarse(page: PageGrid) -> bool:
    return page.kind == "scan" and page.text_height is not None \
        and page.text_height < _least_text_px(page)


def _least_text_px(page: PageGrid) -> int:
    return BILEVEL_TEXT_PX if page.bilevel else MIN_TEXT_PX


def _whole_pages(pages: Sequence[PageGrid], parts: Mapping[str, Sequence[Row]], code: str,
                 reason: Callable[[PageGrid], str | None]) -> list[Issue]:
    """``code`` on every field of every section read from each scanned page that
    ``reason`` gives a message for."""
    return [Issue(code, message, page.page, pointer(field))
            for page in pages if page.kind == "scan" and (message := reason(page)) is not None
            for name in sorted(n for n, rows in parts.items() if any(r.page == page.page for r in rows))
            for field in SECTION_FIELDS.get(name, ())]
