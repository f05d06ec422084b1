"""The pdfplumber grid source: pdfminer's characters and drawing objects.

Slower than the PDFium source (pdfminer parses content streams in Python) but
an independent reading of the same page, kept as a choice and as a check.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psexceptions import PSException
from pdfplumber.page import Page
from pdfplumber.utils.exceptions import PdfminerException

from extract import grid
from extract.model import (
    EmptyPDF,
    EncryptedPDF,
    ExtractError,
    ExtractSettings,
    Glyph,
    NotAPDF,
    PageGrid,
    Segment,
)
from extract.orientation import Turn, dominant, matrix_angle, turn_of_angle, turned_reason
from extract.rulings import page_segments
from extract.text import free_lines
from extract.triage import layer_char, triage

PARSE_ERRORS = (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError)


def named_error(exc: BaseException) -> ExtractError:
    """pdfminer's exception (pdfplumber wraps it) as one of ours."""
    if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
        exc = exc.args[0]
    if isinstance(exc, PDFPasswordIncorrect):
        return EncryptedPDF("encrypted PDF: a password is needed to open it")
    if isinstance(exc, PDFEncryptionError):
        return EncryptedPDF(f"encrypted PDF that cannot be decrypted ({exc})")
    detail = str(exc).strip() or type(exc).__name__
    return NotAPDF(f"damaged or truncated PDF ({type(exc).__name__}: {detail})")


@contextmanager
def open_pdf(path: Path, password: str = "") -> Iterator[pdfplumber.PDF]:
    try:
        pdf = pdfplumber.open(path, password=password)
    except (PdfminerException, *PARSE_ERRORS) as exc:
        raise named_error(exc) from exc
    try:
        try:
            n_pages = len(pdf.pages)
        except (PdfminerException, *PARSE_ERRORS) as exc:
            raise named_error(exc) from exc
        if n_pages == 0:
            raise EmptyPDF("PDF has no pages")
        yield pdf
    finally:
        pdf.close()


def char_turn(ch: dict) -> int:
    """The clockwise turn that stands the character upright on the page (pdfplumber
    gives its coordinates as displayed, /Rotate applied)."""
    a, b = ch["matrix"][0], ch["matrix"][1]
    return turn_of_angle(matrix_angle(a, b))


def page_turn(page: Page) -> Turn:
    """How the page turns for most of its characters to stand upright."""
    turn = dominant(char_turn(ch) for ch in page.chars if ch["text"].strip())
    return Turn(turn, float(page.width), float(page.height))


def page_glyphs(page: Page, turn: Turn) -> list[Glyph]:
    """The page's characters that stand upright once the page is turned, in the
    turned page's coordinates (a rotated stamp is not content)."""
    origin_x, origin_y = page.bbox[0], page.bbox[1]
    out = []
    for ch in page.chars:
        if not ch["text"] or char_turn(ch) != turn.degrees:
            continue
        text, trust = layer_char(ch["text"])
        # y0 is the box bottom and matrix[5] the baseline, both from below: the origin,
        # as displayed, turned with the page
        origin = turn.point(ch["matrix"][4] - origin_x,
                            ch["bottom"] + ch["y0"] - (ch["matrix"][5] - origin_y))
        out.append(Glyph(text, turn.box((ch["x0"], ch["top"], ch["x1"], ch["bottom"])),
                         confidence=trust, baseline=origin[1]))
    return out


def page_segments_turned(page: Page, turn: Turn) -> list[Segment]:
    return [turn.segment(s) for s in page_segments(page.lines, page.rects, page.curves)]


def read_page(page: Page, number: int, settings: ExtractSettings) -> PageGrid:
    turn = page_turn(page)
    width, height = turn.size
    glyphs = page_glyphs(page, turn)
    kind, reason = triage("".join(g.text for g in glyphs), bool(page.images))
    if kind != "text" or not glyphs:
        return PageGrid(page=number, width=width, height=height, kind=kind,  # type: ignore[arg-type]
                        reason=reason)
    found = grid.trace(page_segments_turned(page, turn), glyphs, number, settings, source="text")
    return PageGrid(page=number, width=width, height=height, kind="text",
                    grids=tuple(found.grids), lines=free_lines(found.outside, number),
                    reason=turned_reason(reason, turn.degrees), turn=turn.degrees)


def read_pages(path: Path, password: str, only: Collection[int] | None,
               read: Callable[[Page, int], PageGrid]) -> Iterator[tuple[int, int, PageGrid]]:
    """(page number, page count, ``read(page, number)``) for each page, each page
    closed after use; pdfminer's errors on a page become ours, naming the page."""
    with open_pdf(path, password) as pdf:
        total = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            if only is not None and number not in only:
                continue
            try:
                grid_page = read(page, number)
            except (PdfminerException, *PARSE_ERRORS) as exc:
                raise NotAPDF(f"page {number} is damaged ({named_error(exc)})") from exc
            finally:
                page.close()
            yield number, total, grid_page


def read_document(path: Path, settings: ExtractSettings, password: str = "",
                  only: Collection[int] | None = None) -> Iterator[tuple[int, int, PageGrid]]:
    """(page number, page count, grid) for each page."""
    return read_pages(path, password, only, lambda page, n: read_page(page, n, settings))
