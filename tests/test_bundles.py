"""Files holding several forms, or a form among other pages (normalize/forms.py): each
form is its own declaration, read from its own pages, and every other page is named.

The files are made here from committed forms and scans (samples/synth/bundle.py joins
them as a department's office would), and from a real published budget booklet."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from expected import differences

from extract.model import TextLine
from extract.pdf import extract_document
from jixiao import api
from jixiao.cli import file_line
from normalize import forms
from normalize.document import read_forms
from normalize.model import IncompleteForm

ROOT = Path(__file__).resolve().parents[1]
RANDOM = ROOT / "samples" / "random"
sys.path.insert(0, str(ROOT / "samples"))

from synth.bundle import REAL_SAMPLES, join_pages  # noqa: E402

BOOKLET = REAL_SAMPLES / "2019年度部门预算公开.pdf"


def expected_in(bundle: Path, part: Path, first: int, total: int) -> dict:
    """The truth of the form ``part`` as bundled from page ``first`` of ``total``."""
    record = json.loads(part.with_suffix(".expected.json").read_text(encoding="utf-8"))
    pages = record["source"]["pages"]
    record["source"] = {**record["source"], "file": bundle.name, "pages": total,
                        "page_kinds": ["text"] * total, "first_page": first,
                        "last_page": first + pages - 1}
    return record


def ingest(pdf: Path, db: str, **options):
    report = api.ingest([pdf], db=db, workers=1, **options)
    (result,) = report.results
    records = sorted(api.export(db=db, fmt="json"), key=lambda r: r["source"]["first_page"])
    return result, records


def without_sha(record: dict) -> dict:
    return {**record, "source": {k: v for k, v in record["source"].items() if k != "sha256"}}


def without_source(record: dict) -> dict:
    return {k: v for k, v in record.items() if k not in ("source", "issues")}


def test_forms_one_after_another_are_each_their_own_declaration(tmp_path):
    """Three forms of three producers in one file (before: one record of the first form,
    the others lost or merged into it, exit 0)."""
    parts = [RANDOM / f"synth_{seed}.pdf" for seed in (900, 902, 905)]
    bundle = tmp_path / "three.pdf"
    total = join_pages([(p, None) for p in parts], bundle)
    db = f"sqlite:///{tmp_path / 'j.db'}"
    result, records = ingest(bundle, db)
    assert result.status == "loaded" and total == 10
    assert [(f.first_page, f.last_page) for f in result.forms] == [(1, 3), (4, 7), (8, 10)]
    assert result.other_pages == ()
    first = 1
    for part, record in zip(parts, records, strict=True):
        want = expected_in(bundle, part, first, total)
        diff = differences(without_sha(record), without_sha(want))
        assert not diff, "\n".join(diff[:20])
        first = want["source"]["last_page"] + 1
    line = file_line(result)
    assert "3 declarations: pages 1–3 " in line and "; pages 8–10 " in line
    history = api.history(db)
    assert sorted(zip(history["first_page"], history["last_page"], strict=True)) == \
        [(1, 3), (4, 7), (8, 10)]

    # unchanged: skipped whole; re-read by force: the same three rows, replaced in place
    again, _ = ingest(bundle, db)
    assert again.status == "skipped"
    ids = api.query("SELECT id, first_page FROM declaration ORDER BY id", db=db).values.tolist()
    forced, records_after = ingest(bundle, db, force=True)
    assert forced.status == "loaded" and len(records_after) == 3
    assert api.query("SELECT id, first_page FROM declaration ORDER BY id", db=db).values.tolist() == ids


@pytest.mark.skipif(not BOOKLET.exists(), reason="../shared/real-samples not beside the repo")
def test_a_form_inside_a_booklet_takes_nothing_from_it(tmp_path):
    """A form bound between pages of a published 2019 budget booklet (江苏省人民检察院):
    its year, department and title are its own (before: the booklet's year), and the
    booklet's pages are listed as part of no form."""
    form = RANDOM / "synth_904.pdf"
    bundle = tmp_path / "booklet.pdf"
    total = join_pages([(BOOKLET, [0, 1, 2, 3]), (form, None), (BOOKLET, [20, 21, 22])], bundle)
    result, (record,) = ingest(bundle, f"sqlite:///{tmp_path / 'j.db'}")
    want = expected_in(bundle, form, 5, total)
    assert (record["year"], record["department"], record["title"]) == \
        (want["year"], want["department"], want["title"]) != (2019, "江苏省人民检察院", None)
    assert not differences(without_source(record), without_source(want))
    assert (record["source"]["first_page"], record["source"]["last_page"]) == (5, 11)
    assert result.other_pages == (1, 2, 3, 4, 12, 13, 14)
    assert "pages 1–4, 12–14 not part of a form" in file_line(result)


def test_scanned_forms_one_after_another_read_as_each_alone(tmp_path):
    """Two scans of different forms in one file: each read as it is read alone."""
    parts = [ROOT / "samples" / "scans" / "kunshan_market_2024_300dpi.pdf",
             RANDOM / "scans" / "synth_910_150dpi_scan.pdf"]
    bundle = tmp_path / "scans.pdf"
    join_pages([(p, None) for p in parts], bundle)
    result, records = ingest(bundle, f"sqlite:///{tmp_path / 'j.db'}")
    assert [(f.first_page, f.last_page) for f in result.forms] == [(1, 2), (3, 4)]
    for k, (part, record) in enumerate(zip(parts, records, strict=True)):
        _, (alone,) = ingest(part, f"sqlite:///{tmp_path / f'{k}.db'}")
        assert without_source(record) == without_source(alone)
        shift = 2 * k  # the issues point at the same fields, on the bundle's pages
        assert [(i["code"], i.get("field"), i.get("page")) for i in record["issues"]] == \
            [(i["code"], i.get("field"), i.get("page") and i["page"] + shift) for i in alone["issues"]]


def test_a_page_read_as_none_of_the_form_inside_it_stays_the_forms():
    """Only a title or a 部门名称 starts a form. A page of a form whose tables were not
    found (a scan too poor) reads as nothing of the form's; the pages after it that do
    are still that form's, not a form of their own without a department. A title
    repeated over a page whose table goes on is a running header, not a new form."""
    doc = extract_document(RANDOM / "synth_904.pdf")
    assert forms.spans(doc.pages) == [forms.Span(1, 7, True, True)]
    pages = list(doc.pages)
    pages[3] = replace(pages[3], grids=(), lines=())  # page 4 read as nothing at all
    pages[2] = replace(pages[2], grids=(), lines=tuple(  # page 3 as stray words
        TextLine("某某某某某", (100.0, 100.0 + 20 * k, 200.0, 115.0 + 20 * k), 3) for k in range(3)))
    assert forms.spans(pages) == [forms.Span(1, 7, True, True)]
    titled = list(doc.pages)
    for k in (3, 6):  # pages 4 and 7, whose tables go on from the page before
        top = min(g.bbox[1] for g in titled[k].grids)
        titled[k] = replace(titled[k], lines=(
            TextLine("部门整体预算绩效目标申报表", (200.0, top - 30, 400.0, top - 15), k + 1),
            *titled[k].lines))
    assert forms.spans(titled) == [forms.Span(1, 7, True, True)]
    (declaration,) = read_forms(replace(doc, pages=tuple(titled))).declarations
    assert declaration.source.page_range == (1, 7)
    # over a page that starts a table of its own, a title may as well start a form that
    # names no department: the file is refused, saying where, never read as one form
    top = min(g.bbox[1] for g in titled[1].grids)
    titled[1] = replace(titled[1], lines=(
        TextLine("部门整体预算绩效目标申报表", (200.0, top - 60, 400.0, top - 45), 2), *titled[1].lines))
    with pytest.raises(IncompleteForm, match="^pages 2–7: no department"):
        read_forms(replace(doc, pages=tuple(titled)))
