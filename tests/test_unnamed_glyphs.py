"""A glyph its font names no character for, born-digital and scanned.

A traditional face such as cwTeX FangSong has 續 and 頁 but not 续 and 页. Reportlab draws
its .notdef box for them: the text layer says code 0 (pdfium and pdfminer alike) and a
scan shows the box, which the recogniser reads as □. The 续表 above a table's rest and
the 第 N 页 below each page are still furniture; read as text they became an indicator's
一级 named 表 (born-digital) or □表部门产出, and a 三级 named 第5□ that shifted every
indicator after it, in silence.

The form is generated here (samples/synth, seed 935011: reportlab in cwTeX FangSong, its
content's missing characters set in the fallback face as word processors do, its 续表
and page numbers not), then scanned as the benchmark scans it (250 dpi).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from expected import differences

from extract import pdfium_source, plumber_source
from extract.model import MISSING, ExtractSettings
from jixiao import api

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "samples"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from metrics import covered, score_record  # noqa: E402
from synth import write, write_scan  # noqa: E402

SEED = 935011  # whose 续表 falls inside the indicator table


@pytest.fixture(scope="module")
def form(tmp_path_factory) -> tuple[Path, Path]:
    """The born-digital form and its scan."""
    folder = tmp_path_factory.mktemp("unnamed")
    pdf = write(SEED, folder, producer="reportlab", face="fangsong")
    return pdf, write_scan(SEED, folder, producer="reportlab", face="fangsong")


def exported(pdf: Path, tmp: Path) -> dict:
    db = f"sqlite:///{tmp / (pdf.stem + '.db')}"
    report = api.ingest([pdf], db=db, workers=1)
    assert not report.failed, [r.reason for r in report.failed]
    (record,) = api.export(db=db, fmt="json")
    return record


@pytest.mark.parametrize("source", [pdfium_source, plumber_source])
def test_a_text_layer_glyph_without_a_character_is_kept_as_missing_and_doubted(form, source):
    pages = [grid for _, _, grid in source.read_document(form[0], ExtractSettings())]
    lines = [line for page in pages for line in page.lines]
    continued = [line for line in lines if line.text == f"{MISSING}表"]
    footers = [line for line in lines if line.text.replace(" ", "").startswith("第")
               and line.text.endswith(MISSING)]
    assert continued and all(line.confidence == 0 for line in continued)
    assert len(footers) == len(pages)
    assert all(page.kind == "text" for page in pages)  # two glyphs a page do not make it a scan


def test_furniture_without_its_characters_is_still_furniture(form, tmp_path):
    pdf, _ = form
    record = exported(pdf, tmp_path)
    expected = json.loads(pdf.with_suffix(".expected.json").read_text("utf-8"))
    assert differences(record, expected) == []


def test_a_scan_of_it_files_no_box_as_an_indicator(form, tmp_path):
    _, scan = form
    record = exported(scan, tmp_path)
    expected = json.loads(scan.with_suffix(".expected.json").read_text("utf-8"))
    names = [(i["level1"], i["level2"], i["level3"]) for i in record["indicators"]]
    assert names == [(i["level1"], i["level2"], i["level3"]) for i in expected["indicators"]]
    # no row shifted: every figure is right or pointed at (what else the scan misreads,
    # a ≦ read as ≤ in a raw value, is the benchmark's to count)
    score = score_record(record, expected)
    quiet = [p for p, _, credit in score.fields if credit < 1 and not covered(p, record["issues"])]
    assert not [p for p in quiet if p.endswith((".value", ".unit", ".comparator"))], quiet
    assert score.accuracy() >= 0.99


def test_a_text_layer_that_lost_its_character_maps_is_read_from_its_ink(tmp_path):
    """A spreadsheet's form (LibreOffice) whose fonts lost their ToUnicode maps: its
    text layer decodes to accented Latin letters and symbols. Before: two of its pages
    were read as that text (效益指标 as "6ç78"), the budget, tasks and prior-year rows
    lost. Each page whose text layer is not text in the document's scripts is read by
    OCR and says so, with an issue on its page."""
    form = ROOT / "samples" / "random" / "synth_902.pdf"
    from synth.arrival import without_char_maps

    broken = without_char_maps(form, tmp_path / "no_maps.pdf")
    db = f"sqlite:///{tmp_path / 'j.db'}"
    report = api.ingest([broken], db=db, workers=1)
    assert not report.failed, report.failed[0].reason
    assert report.results[0].page_kinds == ("scan",) * 4
    (record,) = api.export(db=db, fmt="json")
    expected = json.loads(form.with_suffix(".expected.json").read_text(encoding="utf-8"))
    unreadable = [i["page"] for i in record["issues"] if i["code"] == "text_layer_unreadable"]
    assert unreadable == [1, 2, 3, 4]
    wrong = [d for d in differences(record, expected) if not d.startswith(("$.source", "$.issues"))]
    # what OCR misread is pointed at (a rate in a task's prose read as ‰)
    pointed = {i["field"] for i in record["issues"]}
    assert all(d.split(":")[0].replace("$", "").replace(".", "/").replace("[", "/").replace("]", "")
               in pointed for d in wrong), (wrong, pointed)
