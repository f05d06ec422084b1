"""Bad files get one line naming the file and the reason; the batch goes on."""

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas

from jixiao.cli import main


def plain_pdf(path: Path, text: str = "Quarterly report") -> Path:
    c = canvas.Canvas(str(path))
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return path


@pytest.fixture
def bad_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "notes.pdf").write_text("这不是PDF文件", encoding="utf-8")
    whole = plain_pdf(tmp_path / "whole.pdf").read_bytes()
    (folder / "truncated.pdf").write_bytes(whole[: len(whole) // 3])
    plain_pdf(folder / "other.pdf")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(whole)))
    writer.encrypt(user_password="secret", owner_password="owner")
    with (folder / "locked.pdf").open("wb") as fh:
        writer.write(fh)
    return folder


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_each_bad_file_gets_one_line_and_exit_1(bad_folder: Path, tmp_path: Path):
    db = f"sqlite:///{tmp_path / 'j.db'}"
    result = run("ingest", str(bad_folder), "--db", db)
    assert result.exit_code == 1
    err = result.stderr
    assert f"{bad_folder / 'empty.pdf'}: empty file (0 bytes)" in err
    assert f"{bad_folder / 'notes.pdf'}: not a PDF (no %PDF- signature)" in err
    assert f"{bad_folder / 'truncated.pdf'}: damaged or truncated PDF" in err
    assert f"{bad_folder / 'locked.pdf'}: encrypted PDF: a password is needed to open it" in err
    assert f"{bad_folder / 'other.pdf'}: not a 部门整体预算绩效目标申报表" in err
    assert "5 files: 0 loaded, 0 superseded, 0 skipped, 5 failed" in err


def test_missing_file_is_reported_not_raised(tmp_path: Path):
    result = run("ingest", str(tmp_path / "nope.pdf"), "--db", f"sqlite:///{tmp_path / 'j.db'}")
    assert result.exit_code == 1
    assert f"{tmp_path / 'nope.pdf'}: file not found" in result.stderr


def test_usage_error_exits_2(tmp_path: Path):
    assert run("ingest").exit_code == 2
    assert run("export", "--format", "pdf").exit_code == 2


def test_query_refuses_writes_in_one_line(tmp_path: Path):
    from load.store import open_database

    db = f"sqlite:///{tmp_path / 'j.db'}"
    open_database(db).dispose()
    result = run("query", "DELETE FROM declaration", "--db", db)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "DELETE" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_sql_is_one_line(tmp_path: Path):
    from load.store import open_database

    db = f"sqlite:///{tmp_path / 'j.db'}"
    open_database(db).dispose()
    result = run("query", "SELECT nosuchcol FROM indicator", "--db", db)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == ["Error: database error: no such column: nosuchcol"]


@pytest.mark.parametrize("verb", [["query", "SELECT 1"], ["export"], ["history"], ["check"],
                                  ["show", "x.pdf", "--out", "x.png"]])
def test_reading_verbs_refuse_a_database_that_does_not_exist(tmp_path: Path, verb):
    missing = tmp_path / "typo.db"
    result = run(*verb, "--db", f"sqlite:///{missing}")
    assert result.exit_code == 1
    assert f"Error: no database at {missing}" in result.stderr
    assert not missing.exists()


def test_report_path_is_checked_before_anything_loads(tmp_path: Path):
    db = tmp_path / "j.db"
    result = run("ingest", str(SEED), "--db", f"sqlite:///{db}",
                 "--report", str(tmp_path / "no" / "such" / "dir" / "run.jsonl"))
    assert result.exit_code == 2
    assert "--report" in result.stderr
    assert not db.exists()


def scanned_pdf(path: Path) -> Path:
    """An image-only page, as a scanner writes it."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    img = Image.new("L", (850, 1100), 255)
    ImageDraw.Draw(img).rectangle((100, 100, 750, 900), outline=0, width=3)
    c = canvas.Canvas(str(path))
    c.drawImage(ImageReader(img), 0, 0, width=595, height=842)
    c.showPage()
    c.save()
    return path


def test_scanned_page_without_the_form_is_read_by_ocr_and_refused(tmp_path: Path):
    scan = scanned_pdf(tmp_path / "scan.pdf")
    result = run("ingest", str(scan), "--db", f"sqlite:///{tmp_path / 'j.db'}")
    assert result.exit_code == 1
    assert (f"{scan}: not a 部门整体预算绩效目标申报表 (titles found: no title found)"
            in result.stderr)


@pytest.mark.parametrize("text,images,kind", [
    ("(cid:12)(cid:34)(cid:56)部门", False, "scan"),
    ("\ufffd\ufffd\ufffd申报表", False, "scan"),
    ("\ue000\ue001\ue002\ue003表", False, "scan"),
    ("⼀⼆⼈⼤", False, "scan"),  # Kangxi radicals standing in for 一二人大
    ("", True, "scan"),
    ("", False, "text"),  # a blank page
    ("部门整体预算绩效目标申报表 (cid:3)", False, "text"),  # one stray placeholder
])
def test_triage(text, images, kind):
    from extract.triage import triage

    assert triage(text, images)[0] == kind


SEED = Path(__file__).resolve().parents[1] / "samples" / "yancheng_hpf_2021.pdf"


def test_encrypted_with_an_empty_user_password_just_opens(tmp_path: Path):
    writer = PdfWriter(clone_from=PdfReader(SEED))
    writer.encrypt(user_password="", owner_password="owner-only")
    locked = tmp_path / "owner_locked.pdf"
    with locked.open("wb") as fh:
        writer.write(fh)
    result = run("ingest", str(locked), "--db", f"sqlite:///{tmp_path / 'j.db'}")
    assert result.exit_code == 0, result.stderr
    assert "loaded (盐城市住房公积金管理中心 2021, 4 pages" in result.stderr


def test_pdf_with_no_pages(tmp_path: Path):
    empty = tmp_path / "nopages.pdf"
    with empty.open("wb") as fh:
        PdfWriter().write(fh)
    result = run("ingest", str(empty), "--db", f"sqlite:///{tmp_path / 'j.db'}")
    assert result.exit_code == 1
    assert f"{empty}: PDF has no pages" in result.stderr


def test_a_long_pdf_that_is_not_this_form(tmp_path: Path):
    long_pdf = tmp_path / "annual_report.pdf"
    c = canvas.Canvas(str(long_pdf))
    for n in range(500):
        c.drawString(72, 720, f"Annual report, page {n + 1}")
        c.showPage()
    c.save()
    result = run("ingest", str(long_pdf), "--db", f"sqlite:///{tmp_path / 'j.db'}")
    assert result.exit_code == 1
    assert f"{long_pdf}: not a 部门整体预算绩效目标申报表 (titles found: Annual report, page 1" in result.stderr


def test_files_vanishing_or_unreadable_mid_batch(tmp_path: Path, monkeypatch):
    import jixiao
    from jixiao import pipeline

    folder = tmp_path / "batch"
    folder.mkdir()
    names = ["a.pdf", "b_vanishes.pdf", "c_unreadable.pdf", "d.pdf"]
    for k, name in enumerate(names):
        (folder / name).write_bytes(SEED.read_bytes() + f"\n% copy {k}\n".encode())
    real_sha = pipeline.sha256_of

    def sha_or_fail(path: Path) -> str:
        if path.name == "c_unreadable.pdf":
            raise PermissionError(13, "Permission denied")
        return real_sha(path)

    monkeypatch.setattr(pipeline, "sha256_of", sha_or_fail)

    def on_file(result) -> None:
        if result.path.endswith("a.pdf"):
            (folder / "b_vanishes.pdf").unlink()

    report = jixiao.ingest([folder], db=f"sqlite:///{tmp_path / 'j.db'}", workers=1, on_file=on_file)
    assert [(Path(r.path).name, r.status, r.reason) for r in report.results] == [
        ("a.pdf", "loaded", ""),
        ("b_vanishes.pdf", "failed", "file not found"),
        ("c_unreadable.pdf", "failed", "cannot read file (Permission denied)"),
        ("d.pdf", "superseded", ""),
    ]
