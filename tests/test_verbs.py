"""history, check, show, --workers, --report and the Python API, as a user calls them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image

import jixiao
from jixiao.cli import main

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SEED = SAMPLES / "yancheng_hpf_2021.pdf"
BORN_DIGITAL = sorted(SAMPLES.glob("*.pdf"))  # not samples/scans/: tests/test_scans.py reads those


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_workers_give_the_same_database_as_one_process(tmp_path: Path):
    one, two = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'two.db'}"
    first = jixiao.ingest(BORN_DIGITAL, db=one, workers=1)
    second = jixiao.ingest(BORN_DIGITAL, db=two, workers=2)
    assert [(r.path, r.status) for r in first.results] == [(r.path, r.status) for r in second.results]
    assert jixiao.export(db=one) == jixiao.export(db=two)


def test_report_writes_one_json_line_per_file(tmp_path: Path):
    report = tmp_path / "run.jsonl"
    (tmp_path / "bad.pdf").write_bytes(b"")
    result = run("ingest", str(SEED), str(tmp_path / "bad.pdf"), "--db",
                 f"sqlite:///{tmp_path / 'j.db'}", "--report", str(report), "--workers", "1")
    assert result.exit_code == 1
    lines = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    # the seed's income and expenditure differ as printed: 3 issues
    assert [(r["status"], r["pages"], r["issues"]) for r in lines] == [("loaded", 4, 3), ("failed", 0, 0)]
    assert lines[1]["reason"] == "empty file (0 bytes)"
    assert set(lines[0]) >= {"path", "status", "reason", "pages", "seconds", "issues"}


def test_quiet_prints_only_failures_and_the_summary(tmp_path: Path):
    result = run("ingest", str(SEED), "--db", f"sqlite:///{tmp_path / 'j.db'}", "-q")
    assert result.exit_code == 0
    assert result.stderr.strip().splitlines() == [
        "1 file: 1 loaded, 0 superseded, 0 skipped, 0 failed; 1 with issues"]


def test_history_lists_every_version(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'j.db'}"
    jixiao.ingest([SEED], db=db)
    newer = tmp_path / "corrected.pdf"
    newer.write_bytes(SEED.read_bytes() + b"\n% corrected\n")
    jixiao.ingest([newer], db=db)
    result = run("history", "盐城市住房公积金管理中心", "2021", "--db", db, "--format", "json")
    rows = json.loads(result.stdout)
    assert [(r["version"], r["is_current"], r["file_name"]) for r in rows] == [
        (1, False, "yancheng_hpf_2021.pdf"), (2, True, "corrected.pdf")]
    assert rows[0]["superseded_at"] is not None
    assert "(no rows)" in run("history", "不存在的部门", "--db", db).stdout


def test_check_groups_issues_by_code(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'j.db'}"
    jixiao.ingest([p for p in BORN_DIGITAL if p != SEED], db=db)
    clean = run("check", "--db", db)
    assert clean.exit_code == 0 and "no issues" in clean.stderr


def test_show_draws_the_cells_read(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'j.db'}"
    jixiao.ingest([SEED], db=db)
    out = tmp_path / "p4.png"
    result = run("show", "yancheng_hpf_2021.pdf", "--page", "4", "--out", str(out), "--db", db)
    assert result.exit_code == 0, result.output
    pixels = np.asarray(Image.open(out).convert("RGB"))
    assert pixels.shape[1] > 800
    # the cells' outlines are drawn in the text-layer blue
    blue = int(np.all(pixels == (31, 119, 180), axis=-1).sum())
    assert blue > 1000


def test_show_works_from_anywhere_and_by_any_spelling_of_the_file(tmp_path: Path, monkeypatch):
    """Ingested by a relative path, then shown from another folder: by its name, by
    its absolute path, or by a copy (the same content) kept somewhere else."""
    db = f"sqlite:///{tmp_path / 'j.db'}"
    monkeypatch.chdir(SAMPLES)
    jixiao.ingest([SEED.name], db=db)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    copy = tmp_path / "copy of the seed.pdf"
    copy.write_bytes(SEED.read_bytes())
    for ref in (SEED.name, str(SEED), str(copy), "../copy of the seed.pdf"):
        result = run("show", ref, "--page", "1", "--out", str(tmp_path / "p.png"), "--db", db)
        assert result.exit_code == 0, (ref, result.output)
    # changed since it was loaded (not re-ingested yet): still found by its path
    monkeypatch.setattr("jixiao.api.sha256_of", lambda path: "f" * 64)  # its content changed
    result = run("show", str(SEED), "--page", "1", "--out", str(tmp_path / "p.png"), "--db", db)
    assert result.exit_code == 0, result.output


def test_show_finds_a_document_by_part_of_its_name(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'j.db'}"
    jixiao.ingest([SEED, SAMPLES / "nantong_edu_2022.pdf"], db=db)
    out = tmp_path / "p1.png"
    assert run("show", "yancheng", "--out", str(out), "--db", db).exit_code == 0
    both = run("show", "_20", "--out", str(out), "--db", db)
    assert both.exit_code == 1 and "matches 2 documents" in both.stderr


def test_show_names_what_is_wrong(tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'j.db'}"
    jixiao.ingest([SEED], db=db)
    missing = run("show", "nope.pdf", "--out", str(tmp_path / "x.png"), "--db", db)
    assert missing.exit_code == 1
    assert "no document matches 'nope.pdf'" in missing.stderr
    beyond = run("show", "1", "--page", "9", "--out", str(tmp_path / "x.png"), "--db", db)
    assert beyond.exit_code == 1 and "has 4 pages; there is no page 9" in beyond.stderr


def test_python_api_frames(tmp_path: Path):
    db_url = f"sqlite:///{tmp_path / 'j.db'}"
    jixiao.ingest(BORN_DIGITAL, db=db_url)
    db = jixiao.connect(db_url)
    try:
        assert len(db.declarations()) == len(list(SAMPLES.glob("*.expected.json")))
        seed = db.indicators(department="盐城市住房公积金管理中心", year=2021)
        assert len(seed) == 39
        assert set(db.budget(year=2021)["department"]) >= {"盐城市住房公积金管理中心"}
        issues = db.issues()  # the seed's income and expenditure differ as printed
        assert sorted(issues["field"]) == ["/budget/8/annual", "/budget/8/h1", "/budget/8/q3"]
        assert set(issues["code"]) == {"income_expenditure_mismatch"}
    finally:
        db.close()


@pytest.mark.postgres
def test_workers_into_postgresql(pg_url: str):
    report = jixiao.ingest(BORN_DIGITAL, db=pg_url, workers=2)
    assert not report.failed
    assert len(jixiao.export(db=pg_url)) == report.count("loaded")


class FakeTerminal:
    def __init__(self, tty: bool) -> None:
        self.tty, self.text = tty, ""

    def isatty(self) -> bool:
        return self.tty

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_progress_is_a_bar_on_a_terminal_and_lines_elsewhere():
    from jixiao.cli import Progress
    from jixiao.pipeline import FileResult

    done = FileResult("a.pdf", "loaded", pages=4, department="某局", year=2022)
    failed = FileResult("b.pdf", "failed", reason="empty file (0 bytes)")
    terminal = FakeTerminal(tty=True)
    bar = Progress(terminal, quiet=False)
    bar.start(2)
    bar(done)
    bar(failed)
    bar.close()
    assert "2/2" in terminal.text and "4 pages" in terminal.text and "<00:00" in terminal.text
    assert "pages/s" in terminal.text
    assert "b.pdf: empty file (0 bytes)" in terminal.text  # failures stay visible above the bar
    assert "a.pdf: loaded" not in terminal.text
    pipe = FakeTerminal(tty=False)
    lines = Progress(pipe, quiet=False)
    lines.start(2)
    lines(done)
    lines(failed)
    assert pipe.text.splitlines() == ["a.pdf: loaded (某局 2022, 4 pages)", "b.pdf: empty file (0 bytes)"]
