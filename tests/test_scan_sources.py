"""A scanned page is OCR'd whichever grid source reads the file.

``--source`` chooses how text-layer pages are parsed (PDFium, pdfminer, camelot
lattice); a page triage calls a scan goes to the OCR path under every source
(extract/pdf.py: ``read_scans``), so a scan ingested with any source exports the
record it does with the default one.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from expected import differences, fold

from extract.model import ExtractedDocument, ExtractSettings, PageGrid
from extract.pdf import EXTRACTOR_VERSION, read_scans
from jixiao import api, pipeline

ROOT = Path(__file__).resolve().parents[1]
SCAN = ROOT / "samples" / "scans" / "kunshan_market_2024_300dpi.pdf"  # 2 pages, read exactly


def ingest_with(path: Path, source: str, tmp: Path, monkeypatch) -> tuple[dict, ExtractedDocument]:
    """The exported record, and the pages extract gave the pipeline on the way."""
    seen: list[ExtractedDocument] = []

    def spy(*args, **kwargs) -> ExtractedDocument:
        seen.append(extract(*args, **kwargs))
        return seen[-1]

    extract = pipeline.extract_document
    monkeypatch.setattr(pipeline, "extract_document", spy)
    db = f"sqlite:///{tmp / (path.stem + '.db')}"
    report = api.ingest([path], db=db, source=source, workers=1)
    assert not report.failed, [r.reason for r in report.failed]
    (record,) = api.export(db=db, fmt="json")
    (doc,) = seen
    return record, doc


def sources_of(doc: ExtractedDocument, kind: str) -> set[str]:
    """Where the cells and free lines of the pages of one kind came from."""
    pages = [p for p in doc.pages if p.kind == kind]
    return ({c.source for p in pages for g in p.grids for c in g.cells}
            | {g.source for p in pages for g in p.grids}
            | {line.source for p in pages for line in p.lines})


@pytest.mark.parametrize("source", ["pdfplumber", "lattice"])
def test_a_scan_is_ocrd_under_every_source(source: str, tmp_path: Path, monkeypatch):
    expected = json.loads(SCAN.with_suffix(".expected.json").read_text(encoding="utf-8"))
    got, doc = ingest_with(SCAN, source, tmp_path, monkeypatch)
    # the OCR engine, its precision and the ink thresholds are recorded: readings depend on them
    assert re.fullmatch(rf"{EXTRACTOR_VERSION}/{source}\+(openvino-(bf16|f16|f32)|onnxruntime-f32)"
                        r"\+ink170/215",
                        doc.extractor_version), doc.extractor_version
    assert got["source"]["page_kinds"] == ["scan"] * expected["source"]["pages"]
    assert all(p.grids for p in doc.pages)
    assert sources_of(doc, "scan") == {"ocr"}
    assert differences(got["budget"], expected["budget"]) == []
    assert differences(got["indicators"], expected["indicators"]) == []
    # the default source reads this scan exactly (test_scans.py); so does every other
    assert differences(got, expected) == []


def test_a_mixed_document_under_pdfplumber(tmp_path: Path, monkeypatch, mixed_document):
    """Pages 1-2 born-digital (read by pdfminer), 3-4 scanned (read by OCR)."""
    path, original = mixed_document
    got, doc = ingest_with(path, "pdfplumber", tmp_path, monkeypatch)
    assert got["source"]["page_kinds"] == ["text", "text", "scan", "scan"]
    assert sources_of(doc, "text") == {"text"}
    assert sources_of(doc, "scan") == {"ocr"}
    expected = json.loads(original.with_suffix(".expected.json").read_text(encoding="utf-8"))
    # the budget and the indicators are on the scanned pages
    assert differences(got["budget"], expected["budget"]) == []
    assert [fold(i["target"]["raw"]) for i in got["indicators"]] == \
        [fold(i["target"]["raw"]) for i in expected["indicators"]]


def test_a_scan_pdfium_cannot_open_is_left_empty_and_says_why(tmp_path: Path):
    """The pdfium source falls back to pdfminer for a file PDFium refuses; the
    OCR path needs PDFium's rendering, so such a scan is reported, not guessed."""
    path = tmp_path / "damaged.pdf"
    path.write_bytes(b"%PDF-1.4\nnot really a PDF\n")
    page = PageGrid(page=1, width=595, height=842, kind="scan", reason="no text layer")
    ((number, total, got),) = read_scans(iter([(1, 1, page)]), path, ExtractSettings())
    assert (number, total, got.kind, got.grids) == (1, 1, "scan", ())
    assert got.reason.startswith("no text layer; not read: damaged")


def test_the_scan_paths_thresholds_are_settings_recorded_in_the_version():
    """Text geometry is in text heights and set in OCRSettings, not fixed in the code: a
    page read with another piece gap is cut into other pieces, reads differently, and says
    so in its extractor version (the defaults stand for themselves: only ink is named)."""
    from extract.model import OCRSettings, TextGeometry
    from extract.pdf import extract_document

    def cells(doc: ExtractedDocument) -> list[str]:
        return [c.text for g in doc.pages[0].grids for c in g.cells if c.text]

    default = extract_document(SCAN, ExtractSettings(), only=[1])
    tight = extract_document(SCAN, ExtractSettings(ocr=OCRSettings(
        text=TextGeometry(piece_gap=0.05), runner_up=0.3)), only=[1])
    assert default.extractor_version.endswith("+ink170/215")
    assert tight.extractor_version.endswith("+ink170/215+piece_gap0.05+runner_up0.3")
    # every gap between two characters now cuts a piece, so multi-character cells are
    # read a character or two at a time: some of them read differently
    assert len(cells(tight)) == len(cells(default))
    assert cells(tight) != cells(default)
