"""The three grid sources read every bundled sample the same way.

PDFium (the default), pdfplumber and camelot lattice find ruling lines
independently; text is assigned by the same code. Where they agree, the grid is
the one printed. They may differ only in whitespace, which no comparison reads.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from extract.model import ExtractSettings
from extract.pdf import extract_document

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "samples").glob("*.pdf"))


@cache
def cells(path: Path, source: str) -> list[tuple]:
    doc = extract_document(path, ExtractSettings(source=source))
    return [(g.page, c.row, c.col, c.rowspan, c.colspan, "".join(c.text.split()))
            for page in doc.pages for g in page.grids for c in g.cells]


@pytest.mark.parametrize("source", ["pdfplumber", "lattice"])
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_sources_agree_on_samples(path: Path, source: str):
    ours, theirs = cells(path, "pdfium"), cells(path, source)
    assert ours, f"{path.name}: no cells found"
    assert ours == theirs
