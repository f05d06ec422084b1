"""Every bundled sample, ingested end to end, exports exactly its expected JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from expected import differences
from jsonschema import Draft202012Validator

from jixiao import api

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "shared" / "schema"
                     / "declaration.schema.json").read_text(encoding="utf-8")) \
    if (Path(__file__).resolve().parents[2] / "shared" / "schema").exists() else None
EXPECTED = sorted(SAMPLES.glob("*.expected.json"))
BORN_DIGITAL = sorted(SAMPLES.glob("*.pdf"))  # not samples/scans/: tests/test_scans.py reads those


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, dict]:
    db = f"sqlite:///{tmp_path_factory.mktemp('samples') / 'samples.db'}"
    report = api.ingest(BORN_DIGITAL, db=db)
    assert not report.failed, [f"{r.path}: {r.reason}" for r in report.failed]
    return {rec["source"]["file"]: rec for rec in api.export(db=db, fmt="json")}


def test_there_are_samples():
    assert len(EXPECTED) >= 7


@pytest.mark.parametrize("expected_path", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_sample_exports_its_expected_json(expected_path: Path, exported: dict[str, dict]):
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    got = exported.get(expected["source"]["file"])
    assert got is not None, f"{expected['source']['file']} was not exported"
    diffs = differences(got, expected)
    assert not diffs, "\n".join(diffs[:40])


@pytest.mark.skipif(SCHEMA is None, reason="shared/schema not present beside the repo")
def test_exports_validate_against_the_shared_schema(exported: dict[str, dict]):
    validator = Draft202012Validator(SCHEMA)
    for file, record in exported.items():
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(record)]
        assert not errors, f"{file}: {errors[:5]}"
