"""File handling: check, fingerprint, and hand the file to a grid source.

Only this module (and the sources it names) touches files. A grid source reads
one document page by page and triages each page itself (``triage.py``);
``SOURCES`` is the registry the CLI's choices come from. A source parses only
text-layer pages: a page it triages as a scan comes back empty, ``kind="scan"``,
and ``read_scans`` hands it to the OCR path, whichever source read the file.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Collection, Iterator
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium

from extract import lattice, ocr, pdfium_source, plumber_source, scan_source
from extract.model import ExtractedDocument, ExtractError, ExtractSettings, NotAPDF, PageGrid

log = logging.getLogger(__name__)
EXTRACTOR_VERSION = "13"  # 2: OCR by OpenVINO, scans read under every source; 3: faint ink finds text, lines set solid are cut; 4: faint marks up to two characters wide, edge ink, rules ending with the frame; 5: frame edges over merged columns, hairline slashes, no speck comparators; 6: text-layer glyphs without a character kept (U+FFFD), a wrapped line's lone 。 read, a faint point joins the pieces it parts, a lone character read as nothing read again, a comparator's direction read above its bars; 7: no rule along the image's own border (a sheet edge's shadow), a ‰'s third ring as tall as the %'s own lower ring, a comparator's angle in pieces over its bars, a % without its slash in doubt, a lone = or / its ink shows is sure, a 。 past a %'s ink its own; 8: a wrapped 。 by the lower half of its em and in faint ink, a blurred hyphen measured by its ink, a ring read after a % its third ring only with doubt, a wrapped character whose ink broke into specks whole in faint ink, a flat speck read as a dot no dash; 9: a sign whose lower third is wider than its top (a ‰ whose rings touch) no % reference and in doubt where width calls it %, a line a last-row cell ran on with below the bottom rule that cell's; 10: a page read as its text stands upright (displayed turned by /Rotate or its scan), its turn recorded; a text layer of characters from scripts the document is not written in (lost ToUnicode maps) read by OCR, a photographed sheet found on its surround and seen square, a text layer all invisible over an image (a scanner's OCR) read from the image, a 1-bit page said to be one (PageGrid.bilevel); 11: red ink lifted to the paper around it (a seal's trace under a shadow read as characters); a < or > whose lower half carries more ink than its upper (≤ drawn as ⩽, its bar beside the lower arm) read ≤ or ≥, or in doubt; faint blobs close together that make a character's size read as one (a thin lone %); a long blob's thickness measured by its ink (a hairline dash askew); 12: a % whose lower third is as wide as its top and whose width is short of a ‰ against the page's own % signs is sure, a sign found without its lower ring is no % reference, a sign read alone is measured with all the pieces beside it; 13: a comparator's bars found where a bold arm or a speck runs them into its angle, a lone mark read as a letter the comparator its angle over bars of their own shows, a character's stroke apart from the rest no line of its own by the region's own character height, a lone upright read as 1 leaning in its faint ink a slash, a bold 。 wrapped alone onto its line a mark, a figure read whole and sure from faint ink alone kept at confidence 0.5, a comparator's bar band found above a ragged row under it, the first character's own column never a comparator before it
Progress = Callable[[int, int], None]
Reader = Callable[..., Iterator[tuple[int, int, PageGrid]]]

SOURCES: dict[str, Reader] = {
    "pdfium": pdfium_source.read_document,
    "pdfplumber": plumber_source.read_document,
    "lattice": lattice.read_document,
}


def read_scans(pages: Iterator[tuple[int, int, PageGrid]], path: Path, settings: ExtractSettings,
               password: str = "") -> Iterator[tuple[int, int, PageGrid]]:
    """``pages`` as a source read them, each page triaged as a scan read by the
    OCR path instead (``scan_source.py``: cells and lines with ``source="ocr"``).

    The OCR path works on a page image, which PDFium renders (``raster.py``); the
    file is opened with PDFium at the first scanned page, whatever library the
    source read it with. Should PDFium refuse the file (the pdfium source fell
    back to pdfminer), a scanned page is left empty and says why.
    """
    with ExitStack() as stack:
        pdf: pdfium.PdfDocument | None = None
        unreadable = ""
        turn = 0  # the last scanned page's: a page too bare to tell is turned as it was
        for number, total, page in pages:
            if page.kind == "scan":
                if pdf is None and not unreadable:
                    try:
                        pdf = stack.enter_context(pdfium_source.open_document(path, password))
                    except NotAPDF as exc:
                        unreadable = str(exc)
                        log.warning("%s: scanned pages not read: %s", path, exc)
                if pdf is not None:
                    scanned = pdf[number - 1]
                    try:
                        page = scan_source.read_scan_page(scanned, number, settings, page.reason,
                                                          turn)
                        turn = page.turn
                    finally:
                        scanned.close()
                else:
                    page = replace(page, reason=f"{page.reason}; not read: {unreadable}")
            yield number, total, page


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


def extract_document(
    path: str | Path, settings: ExtractSettings | None = None,
    progress: Progress | None = None, password: str = "", only: Collection[int] | None = None,
) -> ExtractedDocument:
    """Every page of a PDF as a ``PageGrid`` (``only`` those page numbers, if given)."""
    settings = settings or ExtractSettings()
    path = Path(path)
    try:
        digest = sha256_of(path)
        check_signature(path)
    except OSError as exc:
        raise ExtractError(f"cannot read file ({exc.strerror or exc})") from exc
    source = settings.source
    pages: list[PageGrid] = []
    reader = read_scans(SOURCES[source](path, settings, password, only), path, settings, password)
    try:
        first = next(reader, None)
    except NotAPDF:
        if source != "pdfium":
            raise
        # PDFium refuses some files pdfminer reads (and pdfminer names the problem
        # better when neither can): let pdfminer answer before giving up.
        log.info("%s: PDFium could not open it; reading it with pdfminer", path)
        source = "pdfplumber"
        reader = read_scans(SOURCES[source](path, settings, password, only), path, settings,
                            password)
        first = next(reader, None)
    for number, total, page in ([first] if first else []) + list(reader):
        pages.append(page)
        if progress:
            progress(number, total)
    version = f"{EXTRACTOR_VERSION}/{source}"
    if any(p.kind == "scan" for p in pages):
        # OCR readings (and so confidences and issues) depend on the engine and the
        # precision it computes in on this CPU: recorded so they can be told apart
        # and on the scan path's thresholds, which are settings
        version += f"+{ocr.recognizer(settings.ocr).label}+{settings.ocr.reading_key()}"
    return ExtractedDocument(path=str(path), sha256=digest, pages=tuple(pages),
                             extractor_version=version)
