"""Ingest as a user runs it: re-runs, corrected files, --force, both databases."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from expected import differences

from jixiao import api
from jixiao.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SEED = SAMPLES / "yancheng_hpf_2021.pdf"


def expected_for(pdf: Path) -> dict:
    return json.loads(pdf.with_suffix(".expected.json").read_text(encoding="utf-8"))


def resubmitted(src: Path, dest: Path) -> Path:
    """The same declaration as another file: the bytes differ (an appended
    comment, as a re-export or re-scan would), the content does not."""
    dest.write_bytes(src.read_bytes() + b"\n% corrected resubmission\n")
    return dest


def test_round_trip_on_both_databases(db_url: str, tmp_path: Path):
    report = api.ingest([SEED], db=db_url)
    assert [r.status for r in report.results] == ["loaded"]
    (record,) = api.export(db=db_url, fmt="json")
    assert differences(record, expected_for(SEED)) == []


def test_rerun_skips_unchanged_files(sqlite_url: str, tmp_path: Path):
    api.ingest([SEED], db=sqlite_url)
    again = api.ingest([SEED], db=sqlite_url)
    assert [(r.status, r.reason) for r in again.results] == [("skipped", "unchanged: already loaded")]
    assert len(api.export(db=sqlite_url, fmt="json")) == 1


def test_corrected_file_supersedes_and_history_is_kept(sqlite_url: str, tmp_path: Path):
    api.ingest([SEED], db=sqlite_url)
    newer = resubmitted(SEED, tmp_path / "yancheng_corrected.pdf")
    report = api.ingest([newer], db=sqlite_url)
    assert [r.status for r in report.results] == ["superseded"]
    (record,) = api.export(db=sqlite_url, fmt="json")
    assert record["source"]["file"] == "yancheng_corrected.pdf"
    assert record["source"]["version"] == 2
    history = api.query("SELECT file_name, version, is_current FROM declaration "
                        "JOIN document ON document.id = declaration.document_id ORDER BY version",
                        db=sqlite_url)
    assert history.values.tolist() == [["yancheng_hpf_2021.pdf", 1, 0],
                                       ["yancheng_corrected.pdf", 2, 1]]
    counts = api.query("SELECT (SELECT COUNT(*) FROM indicator) AS every_version, "
                       "(SELECT COUNT(*) FROM current_indicator) AS current, "
                       "(SELECT COUNT(DISTINCT file) FROM current_budget_line) AS files",
                       db=sqlite_url)
    assert counts.values.tolist() == [[78, 39, 1]]


def test_force_rereads_in_place(sqlite_url: str):
    api.ingest([SEED], db=sqlite_url)
    report = api.ingest([SEED], db=sqlite_url, force=True)
    assert [r.status for r in report.results] == ["loaded"]
    (record,) = api.export(db=sqlite_url, fmt="json")
    assert record["source"]["version"] == 1


def test_batch_goes_on_past_a_bad_file_and_keeps_what_loaded(sqlite_url: str, tmp_path: Path):
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(SEED, folder / "a_good.pdf")
    (folder / "b_bad.pdf").write_bytes(b"%PDF-1.4\n garbage")
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", sqlite_url])
    assert result.exit_code == 1
    assert f"{folder / 'a_good.pdf'}: loaded (盐城市住房公积金管理中心 2021" in result.stderr
    assert f"{folder / 'b_bad.pdf'}: damaged or truncated PDF" in result.stderr
    assert "2 files: 1 loaded, 0 superseded, 0 skipped, 1 failed" in result.stderr
    assert len(api.export(db=sqlite_url, fmt="json")) == 1


def test_export_formats_through_the_cli(sqlite_url: str, tmp_path: Path):
    api.ingest([SEED], db=sqlite_url)
    runner = CliRunner()
    out = runner.invoke(main, ["export", "--db", sqlite_url])
    assert out.exit_code == 0
    assert json.loads(out.stdout)[0]["department"] == "盐城市住房公积金管理中心"
    assert runner.invoke(main, ["export", "--db", sqlite_url, "--format", "csv",
                                "--out", str(tmp_path / "csv")]).exit_code == 0
    import pandas as pd

    indicators = pd.read_csv(tmp_path / "csv" / "indicators.csv", encoding="utf-8-sig")
    assert len(indicators) == len(expected_for(SEED)["indicators"])
    assert runner.invoke(main, ["export", "--db", sqlite_url, "--format", "xlsx",
                                "--out", str(tmp_path / "d.xlsx")]).exit_code == 0
    sheets = pd.read_excel(tmp_path / "d.xlsx", sheet_name=None)
    assert "绩效目标" in sheets and "年度部门预算" in sheets


def test_query_prints_a_table(sqlite_url: str):
    api.ingest([SEED], db=sqlite_url)
    out = CliRunner().invoke(main, ["query", "--db", sqlite_url,
                                    "SELECT department, indicator_count FROM declaration_summary"])
    assert out.exit_code == 0
    assert "盐城市住房公积金管理中心" in out.stdout and "39" in out.stdout


def test_a_landscape_form_stored_as_rotated_portrait_pages(sqlite_url: str, tmp_path: Path):
    """Many producers store a landscape page as a portrait one whose content is
    drawn sideways, with /Rotate to show it upright: it must read the same."""
    from pypdf import PdfReader, PdfWriter

    original = SAMPLES / "nantong_edu_2022.pdf"
    writer = PdfWriter(clone_from=PdfReader(original))
    for page in writer.pages:
        page.rotate(90)
        page.transfer_rotation_to_content()  # content now drawn sideways, /Rotate 0
        page.rotate(270)  # shown upright again
    rotated = tmp_path / "nantong_rotated.pdf"
    with rotated.open("wb") as fh:
        writer.write(fh)
    assert PdfReader(rotated).pages[0].rotation == 270
    api.ingest([rotated], db=sqlite_url)
    (record,) = api.export(db=sqlite_url, fmt="json")
    expected = expected_for(original)
    assert differences({k: v for k, v in record.items() if k != "source"},
                       {k: v for k, v in expected.items() if k != "source"}) == []
