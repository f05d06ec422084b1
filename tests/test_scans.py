"""Scans of the samples (samples/scans, made by samples/make_scans.py) come out of
`jixiao ingest` as the same records as the born-digital originals.

Each scan is ingested into a database of its own (a scan and its original are the
same declaration). Short fields must match exactly; long prose is compared by
character error rate (benchmarks/metrics.py), as the shared README says.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from expected import differences, fold

from jixiao import api

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from metrics import score_record  # noqa: E402

SCANS = sorted((ROOT / "samples" / "scans").glob("*.pdf"))
TARGET = {300: 0.99, 200: 0.98}
NUMBERS = ("budget", "value", "comparator", "unit")


def dpi_of(path: Path) -> int:
    return int(path.stem.rsplit("_", 1)[1].removesuffix("dpi"))


def ingest_one(path: Path, tmp: Path) -> dict:
    db = f"sqlite:///{tmp / (path.stem + '.db')}"
    report = api.ingest([path], db=db)
    assert not report.failed, [r.reason for r in report.failed]
    (record,) = api.export(db=db, fmt="json")
    return record


def test_there_are_scans_at_two_resolutions():
    assert {dpi_of(p) for p in SCANS} == {200, 300}
    for path in SCANS:
        assert path.with_suffix(".expected.json").exists()


@pytest.mark.parametrize("path", SCANS, ids=lambda p: p.stem)
def test_scan_exports_its_expected_record(path: Path, tmp_path: Path):
    expected = json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))
    got = ingest_one(path, tmp_path)
    assert got["source"]["page_kinds"] == ["scan"] * expected["source"]["pages"]
    assert got["source"]["sha256"] == expected["source"]["sha256"]
    score = score_record(got, expected)
    assert score.accuracy() >= TARGET[dpi_of(path)], "\n".join(score.wrong)
    # a wrong number is never silent: it is named in the issues
    wrong_numbers = [w for w in score.wrong if any(f".{k}" in w or "budget" in w for k in NUMBERS)]
    flagged = [i for i in got["issues"] if i["code"] in ("low_confidence", "value_unreadable")]
    assert not wrong_numbers or flagged, "\n".join(wrong_numbers)
    for issue in flagged:
        assert issue["page"] is not None
    # a misread 一级/二级 name files its indicators under a wrong group: never silent
    for wrong in score.wrong:
        name = re.match(r"\$\.indicators\[\d+\]\.level[12]: got (.*), expected", wrong)
        if name:
            assert any(f"read {name.group(1)}" in i["message"] for i in flagged), wrong


def test_a_document_mixing_text_and_scanned_pages(tmp_path: Path, mixed_document):
    """Pages 1-2 born-digital, 3-4 scanned: one declaration, page_kinds per page."""
    path, original = mixed_document
    got = ingest_one(path, tmp_path)
    assert got["source"]["page_kinds"] == ["text", "text", "scan", "scan"]
    expected = json.loads(original.with_suffix(".expected.json").read_text(encoding="utf-8"))
    # the budget and the indicators are on the scanned pages
    assert differences(got["budget"], expected["budget"]) == []
    assert [fold(i["target"]["raw"]) for i in got["indicators"]] == \
        [fold(i["target"]["raw"]) for i in expected["indicators"]]
