"""File handling: open, fingerprint, triage each page, hand pages to a grid source.

Only this module opens files; the grid sources (``textlayer``, ``lattice``) see
one page at a time. Triage decides per page whether the text layer can be
trusted, and says why when it cannot.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psexceptions import PSException
from pdfplumber.page import Page
from pdfplumber.utils.exceptions import PdfminerException

from extract.model import (
    EmptyPDF,
    EncryptedPDF,
    ExtractedDocument,
    ExtractError,
    ExtractSettings,
    NotAPDF,
    PageGrid,
)

log = logging.getLogger(__name__)

EXTRACTOR_VERSION = "textlayer-1"
_CID = re.compile(r"\(cid:\d+\)")
Progress = Callable[[int, int], None]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_signature(path: Path) -> None:
    """Refuse what is plainly not a PDF before a parser sees it."""
    with path.open("rb") as fh:
        head = fh.read(1024)
    if not head:
        raise NotAPDF("empty file (0 bytes)")
    if b"%PDF-" not in head:
        raise NotAPDF("not a PDF (no %PDF- signature)")


@contextmanager
def open_pdf(path: Path, password: str = "") -> Iterator[pdfplumber.PDF]:
    """pdfplumber's PDF with its errors turned into ours."""
    check_signature(path)
    try:
        pdf = pdfplumber.open(path, password=password)
    except PdfminerException as wrapped:
        raise _named(wrapped.args[0] if wrapped.args else wrapped) from wrapped
    except _PARSE_ERRORS as exc:
        raise _named(exc) from exc
    try:
        try:
            n_pages = len(pdf.pages)
        except PdfminerException as wrapped:
            raise _named(wrapped.args[0] if wrapped.args else wrapped) from wrapped
        except _PARSE_ERRORS as exc:
            raise _named(exc) from exc
        if n_pages == 0:
            raise EmptyPDF("PDF has no pages")
        yield pdf
    finally:
        pdf.close()


_PARSE_ERRORS = (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError)


def _named(exc: BaseException) -> ExtractError:
    """pdfminer's exception (pdfplumber wraps it) as one of ours."""
    if isinstance(exc, PDFPasswordIncorrect):
        return EncryptedPDF("encrypted PDF: a password is needed to open it")
    if isinstance(exc, PDFEncryptionError):
        return EncryptedPDF(f"encrypted PDF that cannot be decrypted ({exc})")
    detail = str(exc).strip() or type(exc).__name__
    return NotAPDF(f"damaged or truncated PDF ({type(exc).__name__}: {detail})")


def garbage_share(text: str) -> float:
    """Share of a text layer that is not real text: (cid:N) placeholders,
    U+FFFD, private-use code points and Kangxi radicals standing in for
    ideographs (a broken ToUnicode map)."""
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
    """(kind, reason) for one page: "text" when its text layer can be used."""
    if garbage_share(text) > 0.1:
        return "scan", "text layer is unreadable ((cid:N) or replacement characters): needs OCR"
    if not text.strip():
        if has_images:
            return "scan", "no text layer, only an image: needs OCR"
        return "text", "blank page"
    return "text", "text layer"


def read_page(page: Page, number: int, settings: ExtractSettings, path: Path) -> PageGrid:
    """Triage one page, then read it with the grid source the settings name."""
    from extract import lattice, textlayer  # the sources import this module's types

    text = "".join(ch["text"] for ch in page.chars)
    kind, reason = triage(text, bool(page.images))
    if kind != "text" or not text.strip():
        return PageGrid(page=number, width=float(page.width), height=float(page.height),
                        kind=kind, reason=reason)  # type: ignore[arg-type]
    if settings.source == "lattice":
        return lattice.read_page(page, number, settings, path)
    return textlayer.read_page(page, number, settings)


def extract_document(
    path: str | Path, settings: ExtractSettings | None = None,
    progress: Progress | None = None, password: str = "", only: Collection[int] | None = None,
) -> ExtractedDocument:
    """Every page of a PDF as a ``PageGrid`` (``only`` those page numbers, if given)."""
    settings = settings or ExtractSettings()
    path = Path(path)
    try:
        digest = sha256_of(path)
    except OSError as exc:
        raise ExtractError(f"cannot read file ({exc.strerror or exc})") from exc
    pages: list[PageGrid] = []
    with open_pdf(path, password) as pdf:
        total = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            if only is not None and number not in only:
                continue
            try:
                pages.append(read_page(page, number, settings, path))
            except PdfminerException as wrapped:
                raise NotAPDF(f"page {number} is damaged ({wrapped})") from wrapped
            except _PARSE_ERRORS as exc:
                raise NotAPDF(f"page {number} is damaged ({type(exc).__name__}: {exc})") from exc
            finally:
                page.close()
            if progress:
                progress(number, total)
    return ExtractedDocument(path=str(path), sha256=digest, pages=tuple(pages),
                             extractor_version=f"{EXTRACTOR_VERSION}/{settings.source}")
