"""Pages displayed turned (extract/orientation.py): read as their text stands upright,
the turn recorded per page, and drawn upright by ``show``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from extract.model import ExtractSettings
from extract.pdf import extract_document
from jixiao import api

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "samples"))

from synth.arrival import stored_turned, turn_pages  # noqa: E402

FORM = ROOT / "samples" / "kunshan_market_2024.pdf"


def read(pdf: Path, db: str, source: str = "pdfium") -> dict:
    report = api.ingest([pdf], db=db, workers=1, source=source)
    assert not report.failed, report.failed[0].reason
    (record,) = api.export(db=db, fmt="json")
    return {k: v for k, v in record.items() if k != "source"}


@pytest.fixture(scope="module")
def upright(tmp_path_factory) -> dict:
    return read(FORM, f"sqlite:///{tmp_path_factory.mktemp('upright') / 'j.db'}")


@pytest.mark.parametrize("source,degrees", [("pdfium", 90), ("pdfium", 180), ("pdfium", 270),
                                            ("pdfplumber", 90), ("pdfplumber", 180),
                                            ("lattice", 270)])
def test_a_page_stored_turned_reads_as_the_upright_page(tmp_path, upright, source, degrees):
    """Before: "not a 部门整体预算绩效目标申报表 (titles found: no title found)" (90°),
    or the title read backwards, 算预门部度年 (180°, pdfplumber)."""
    turned = stored_turned(FORM, tmp_path / f"turned{degrees}.pdf", degrees)
    pages = extract_document(turned, ExtractSettings(source=source)).pages
    assert [p.turn for p in pages] == [(360 - degrees) % 360] * len(pages)
    assert all(f"read turned {(360 - degrees) % 360}°" in p.reason for p in pages)
    assert all(p.width < p.height for p in pages)  # the portrait form, standing up
    assert read(turned, f"sqlite:///{tmp_path / 'j.db'}", source) == upright


def test_show_draws_a_turned_page_upright(tmp_path):
    turned = stored_turned(FORM, tmp_path / "turned.pdf", 90)
    db = f"sqlite:///{tmp_path / 'j.db'}"
    api.ingest([turned], db=db, workers=1)
    image = pytest.importorskip("PIL.Image").open(api.show("turned.pdf", 1, tmp_path / "p1.png", db=db))
    assert image.width < image.height  # displayed sideways, drawn standing
    # the budget's cells, outlined in blue where the form prints them: the lower half
    pixels = image.convert("RGB").load()
    blue = sum(1 for y in range(image.height // 2, image.height) for x in range(0, image.width, 3)
               if pixels[x, y][2] > 150 and pixels[x, y][0] < 90)
    assert blue > 500


SCAN = ROOT / "samples" / "scans" / "kunshan_market_2024_300dpi.pdf"


@pytest.mark.parametrize("degrees", [90, 180])
def test_a_scan_fed_sideways_or_upside_down_reads_as_the_upright_scan(tmp_path, degrees):
    """Before: refused, "not a 部门整体预算绩效目标申报表" (titles found: no title found;
    upside down: 访:行 :; 20224年; 000034 214)."""
    from expected import differences

    turned = turn_pages(SCAN, tmp_path / f"turned{degrees}.pdf", [degrees, degrees])
    pages = extract_document(turned).pages
    assert [p.turn for p in pages] == [(360 - degrees) % 360] * 2
    assert all(p.width < p.height for p in pages)
    db = f"sqlite:///{tmp_path / 'j.db'}"
    report = api.ingest([turned], db=db, workers=1)
    assert not report.failed, report.failed[0].reason
    (record,) = api.export(db=db, fmt="json")
    expected = json.loads(SCAN.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert [d for d in differences(record, expected) if not d.startswith("$.source")] == []


def test_a_page_too_bare_to_tell_is_turned_as_the_page_before():
    """The last page of a 150 dpi scan holds a few short lines (the sign-off): no line
    long enough to tell which way up it stands. Fed sideways with the rest, it is read
    turned as the page before it."""
    import tempfile

    scan = ROOT / "samples" / "random" / "scans" / "synth_910_150dpi_scan.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        turned = turn_pages(scan, Path(tmp) / "turned.pdf", [90, 90])
        assert [p.turn for p in extract_document(turned).pages] == [270, 270]
