"""A file's pages → the forms in it: each form's page range, and the pages of none.

Departments send a declaration alone, several in one file, or bound inside a longer
document (a budget booklet, a cover letter, an attachment list). Each form is read
from its own pages only, so that its year, department and title never come from
another form or from the booklet around it.

A form starts on a page that prints the form's title, unless that page only goes on
with the form before it (its first table continues the last page's and it names no
department of its own: a title repeated as a running header). With its title lost, a
form starts on a page that names a department (部门名称) when the form before it has
already named one, or on the first page that holds the form's own words. A form goes
on over every page of the form's (the rest of the table on the page before, or any of
the form's own words: a section label, a table header, the sign-off), and over pages
that read as none of its up to the next page that does (a page whose table was not
found), for only a title or a department starts a form. It ends with the page that
holds its sign-off: pages after it up to the next form's start are part of none, as
are pages before the first form. Blank pages are neutral: they neither end a form nor
belong to one.

This only proposes page ranges; whether a range holds a form is decided by reading it
(normalize.document).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from extract.model import PageGrid
from normalize import header, labels, script, sections
from normalize.rows import Row, stream


@dataclass(frozen=True)
class Span:
    """The pages ``first``..``last`` (file page numbers) proposed as one form.
    ``titled``: its first page prints the form's title; ``named``: its 部门名称."""

    first: int
    last: int
    titled: bool
    named: bool = False
    # where the title stands on the first page (its top), so that page is read from
    # there down (``from_title``)
    title_top: float | None = field(default=None, compare=False)


@dataclass(frozen=True)
class _Page:
    number: int
    rows: tuple[Row, ...]

    @cached_property
    def blank(self) -> bool:
        return not any(c.text.strip() for r in self.rows for c in r.cells)

    @cached_property
    def title_top(self) -> float | None:
        return next((c.bbox[1] for r in self.rows for c in r.cells if header.is_title(c.text)), None)

    @property
    def titled(self) -> bool:
        return self.title_top is not None

    @cached_property
    def names_department(self) -> bool:
        """Does the page hold the profile's 部门名称 label? (Not 填报部门: a title block
        prints it, and its grid may begin on the next page.)"""
        return any(labels.match(c.text, "profile") == "profile.department"
                   for r in self.rows for c in r.cells)

    @cached_property
    def signed(self) -> bool:
        """Does the page hold a sign-off below its last table (where a form ends)? A
        sign-off word above a table (联系电话 in a header block) ends nothing."""
        last = max((k for k, r in enumerate(self.rows) if not r.is_line), default=-1)
        return any(r.is_line and sections.is_trailer(r) for r in self.rows[last + 1:])

    @property
    def continues(self) -> bool:
        """Does the page's first table go on from the last page's?"""
        first = next((r for r in self.rows if not r.is_line), None)
        return first is not None and first.continues

    def goes_on_form(self) -> bool:
        """Is the page a page of a form: its first table the rest of the table before
        it, or any of its rows the form's own words? (A spreadsheet prints a merged
        label once, centred on the merge, so the label of the rows on a page may be
        printed at its foot, or on the page before.)"""
        return self.continues or any(_form_words(row) for row in self.rows)


def _form_words(row: Row) -> bool:
    """Does the row hold words only the form prints: its title, a section label, a
    department label, one of its tables' headers, the sign-off?"""
    if sections.own_header(row) is not None or (row.is_line and sections.is_trailer(row)):
        return True
    return any(header.is_title(c.text) or labels.match(c.text, "section") is not None
               or labels.match(c.text, "profile") is not None or header.names_filer(c.text)
               for c in row.cells)


def pages_of(pages: Sequence[PageGrid]) -> list[_Page]:
    rows = stream(script.in_form_script(pages))
    by_page: dict[int, list[Row]] = {p.page: [] for p in pages}
    for row in rows:
        by_page.setdefault(row.page, []).append(row)
    return [_Page(number, tuple(found)) for number, found in by_page.items()]


def spans(pages: Sequence[PageGrid]) -> list[Span]:
    """The page ranges that may each hold one form, in file order (module docstring)."""
    out: list[Span] = []
    open_span: Span | None = None
    named = signed = False  # the last span has named its department / holds its sign-off
    for page in pages_of(pages):
        if page.blank:
            continue
        starts = (page.titled and (open_span is None or signed or not page.continues
                                   or page.names_department)) \
            or (page.names_department and (not out or named or signed))
        if starts:
            open_span = Span(page.number, page.number, page.titled, page.names_department,
                             page.title_top)
            out.append(open_span)
            named = signed = False
        elif page.goes_on_form() and out and not signed:
            # the form goes on; past pages that read as none of its (a page whose table
            # was not found) too, for nothing but a title or a department starts a form
            open_span = replace(out[-1], last=page.number)
            out[-1] = open_span
        elif page.goes_on_form() and open_span is None:
            open_span = Span(page.number, page.number, False, False)
            out.append(open_span)
            named = signed = False
        else:
            open_span = None
            continue
        named = named or page.names_department
        signed = signed or page.signed
    return out


def from_title(page: PageGrid, top: float | None) -> PageGrid:
    """The page from the form's title (its top at ``top``) down: what a booklet prints
    above a form bound into it (its own heading, the end of the page before) is not
    the form's."""
    if top is None:
        return page
    return replace(page, grids=tuple(g for g in page.grids if g.bbox[3] > top),
                   lines=tuple(ln for ln in page.lines if ln.bbox[3] > top))


def other_pages(numbers: Sequence[int], forms: Sequence[tuple[int, int]]) -> tuple[int, ...]:
    """The pages of ``numbers`` that lie in none of the ``forms`` (first, last)."""
    return tuple(n for n in numbers if not any(a <= n <= b for a, b in forms))


def page_ranges(numbers: Sequence[int]) -> str:
    """1, 2, 3, 5 → "1–3, 5"."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and runs[-1][1] == n - 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in runs)
