"""Forms as they arrive (samples/synth/arrival.py), made here from a committed form:
a phone photo of the printed sheet and a 1-bit fax are read, and whatever is read
wrong is pointed at, never silent."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest
from expected import differences

from extract.pdf import extract_document
from jixiao import api

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "samples"))

from synth import arrival  # noqa: E402

FORM = ROOT / "samples" / "kunshan_market_2024.pdf"


def pointer(difference: str) -> str:
    """"$.indicators[3].target.raw: got …" → "/indicators/3/target/raw"."""
    path = difference.split(":")[0].removeprefix("$")
    return path.replace("[", ".").replace("]", "").replace(".", "/")


def unpointed(record: dict, expected: dict) -> list[str]:
    """The differences from the truth that no issue points at (or within)."""
    fields = [i.get("field") or "" for i in record["issues"]]
    return [d for d in differences(record, expected) if not d.startswith(("$.source", "$.issues"))
            and not any(f and (pointer(d) + "/").startswith(f.rstrip("/") + "/") for f in fields)]


@pytest.mark.parametrize("kind", ["photo", "fax"])
def test_a_photo_or_a_fax_of_the_form_is_read_without_silent_errors(tmp_path, kind):
    """Before: the photo was refused ("no year": the desk around the sheet and its
    converging rules left no table read), or, of another form, loaded with 部门名称
    read as 福州福州市…对应项目."""
    spoiled = tmp_path / f"{kind}.pdf"
    {"photo": arrival.photo, "fax": arrival.fax}[kind](FORM, spoiled, random.Random(7))
    pages = extract_document(spoiled).pages
    assert all(p.kind == "scan" and p.bilevel == (kind == "fax") for p in pages)
    if kind == "photo":
        assert all("a photo: the sheet found" in p.reason for p in pages)
        assert all(p.width < p.height for p in pages)  # the A4 sheet, not the landscape-ish photo
    db = f"sqlite:///{tmp_path / 'j.db'}"
    report = api.ingest([spoiled], db=db, workers=1)
    assert not report.failed, report.failed[0].reason
    (record,) = api.export(db=db, fmt="json")
    expected = json.loads(FORM.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert (record["department"], record["year"]) == (expected["department"], expected["year"])
    assert unpointed(record, expected) == []
    if kind == "photo":  # show draws the sheet as it was read: seen square, standing
        from PIL import Image

        drawn = Image.open(api.show(str(spoiled), 1, tmp_path / "p1.png", db=db, dpi=72))
        assert drawn.width < drawn.height
        assert abs(drawn.height - 842) <= 2  # the sheet, not the photo around it


def test_a_searchable_scan_is_read_from_its_image_not_its_scanners_ocr(tmp_path):
    """A scanner's "searchable PDF": each page its image, and under it the scanner's own
    OCR as invisible text, here with 28 figures misread. What a person sees is the
    image; the invisible layer is read by nobody (before: refused, no table found in
    it). Read from the image at its own resolution, its figures are the image's."""
    scan = ROOT / "samples" / "scans" / "kunshan_market_2024_300dpi.pdf"
    spoiled = tmp_path / "searchable.pdf"
    made = arrival.searchable(scan, FORM, spoiled, random.Random(5))
    assert made["figures_misread"] > 0
    pages = extract_document(spoiled).pages
    assert all(p.kind == "scan" and "invisible" in p.reason for p in pages)
    db = f"sqlite:///{tmp_path / 'j.db'}"
    report = api.ingest([spoiled], db=db, workers=1)
    assert not report.failed, report.failed[0].reason
    (record,) = api.export(db=db, fmt="json")
    expected = json.loads(scan.with_suffix(".expected.json").read_text(encoding="utf-8"))
    # the figures are the image's, not the layer's misreadings; a doubt is pointed at
    assert differences(record["budget"], expected["budget"]) == []
    assert unpointed(record, expected) == []


def test_a_fax_of_small_type_is_pointed_at_whole():
    """7.5 pt Noto Serif faxed at 200 dpi: characters 15-17 px tall, which a grey scan
    reads well, but the fax's slicer breaks thin strokes and the recogniser reads what
    is left confidently (a 4 as 1, in a line and its total alike). Every field read
    from such a page is pointed at, so none is wrong in silence."""
    import tempfile

    form = ROOT / "samples" / "random" / "synth_901.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        faxed = Path(tmp) / "fax.pdf"
        arrival.fax(form, faxed, random.Random(11))
        pages = extract_document(faxed).pages
        assert all(p.bilevel and p.text_height < 24 for p in pages)
        db = f"sqlite:///{Path(tmp) / 'j.db'}"
        api.ingest([faxed], db=db, workers=1)
        (record,) = api.export(db=db, fmt="json")
    coarse = [i for i in record["issues"] if i["code"] == "scan_too_coarse"]
    assert coarse and all("black-and-white scan (a fax)" in i["message"] for i in coarse)
    expected = json.loads(form.with_suffix(".expected.json").read_text(encoding="utf-8"))
    assert unpointed(record, expected) == []
