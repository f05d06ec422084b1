"""Born-digital pages per second on one core: jixiao ingest end to end (parse,
normalize, write to SQLite) against camelot lattice and pdfplumber's plain
extract_tables on the same files, in the same run. Then scanned pages: seconds per
page of jixiao ingest against plain rapidocr (detector, classifier, recogniser) over
each whole page image, on the same pages, in the same run.

    .venv/bin/python benchmarks/speed.py [PDF or folder ...]   (default: samples/*.pdf)
    .venv/bin/python benchmarks/speed.py --scans [SCAN PDF ...] (default: two samples/scans,
                                                              then the whole folder)

Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

import camelot  # noqa: E402
import pdfplumber  # noqa: E402

from jixiao import api  # noqa: E402
from jixiao.pipeline import discover  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run_jixiao(files: list[Path]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        report = api.ingest(files, db=f"sqlite:///{tmp}/bench.db")
        bad = [r for r in report.results if r.status == "failed"]
        if bad:
            print(f"  note: {len(bad)} file(s) failed in jixiao, e.g. {bad[0].path}: {bad[0].reason}")


def run_pdfplumber(files: list[Path]) -> None:
    for f in files:
        with pdfplumber.open(f) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                page.close()


def run_camelot(files: list[Path]) -> None:
    for f in files:
        camelot.read_pdf(str(f), pages="all", flavor="lattice", suppress_stdout=True)


SCANS = [ROOT / "samples" / "scans" / "changzhou_eco_2024_300dpi.pdf",
         ROOT / "samples" / "scans" / "wuxi_health_2023_300dpi.pdf"]


def page_images(files: list[Path]) -> list:
    """Each scanned page as the image rapidocr is given (BGR, native resolution)."""
    import pypdfium2 as pdfium

    out = []
    for f in files:
        pdf = pdfium.PdfDocument(str(f))
        for page in pdf:
            image = next(o for o in page.get_objects() if isinstance(o, pdfium.PdfImage))
            out.append(image.get_bitmap(render=False).to_numpy())
        pdf.close()
    return out


def run_rapidocr(images: list) -> None:
    from rapidocr import RapidOCR

    engine = RapidOCR(params={"Global.log_level": "error",
                              "EngineConfig.onnxruntime.intra_op_num_threads": 1,
                              "EngineConfig.onnxruntime.inter_op_num_threads": 1})
    engine(images[0][:64, :64])  # models loaded outside the timing
    for image in images:
        engine(image)


def load_models(image) -> None:
    """The recogniser and jieba's dictionary and tagger, loaded once per process
    before the timing, as plain rapidocr's models are; their cost is printed."""
    from extract import ocr
    from extract.model import OCRSettings
    from normalize import words

    t_ocr = timed(lambda: ocr.recognizer(OCRSettings()).read([image[:48, :96, 0]]))
    t_words = timed(words.load)
    print(f"  models loaded before timing: recogniser {t_ocr:.2f} s, jieba {t_words:.2f} s")


def scans(argv: list[str]) -> None:
    files = [Path(a) for a in argv] or SCANS
    images = page_images(files)
    pages = len(images)
    print(f"{len(files)} scanned files, {pages} pages, one core")
    load_models(images[0])
    t_jx = timed(lambda: run_jixiao(files))
    engine_start = time.perf_counter()
    run_rapidocr(images[:1])
    t_load = time.perf_counter() - engine_start
    t_ro = timed(lambda: run_rapidocr(images)) - t_load / 2
    print(f"  jixiao ingest (end to end)   {t_jx / pages:6.2f} s/page (target <= 1.5)")
    print(f"  plain rapidocr, whole page   {t_ro / pages:6.2f} s/page")
    print(f"  jixiao vs plain rapidocr:    {t_ro / t_jx:5.2f}x faster (target > 1)")
    if not argv:
        # a folder, in a fresh process: the engine prepares each new crop width
        # once per process, so a longer batch costs less per page than two files
        subprocess.run([sys.executable, __file__, "--scan-folder"], check=True)


def scan_folder() -> None:
    folder = sorted((ROOT / "samples" / "scans").glob("*.pdf"))
    pages = len(page_images(folder))
    load_models(page_images(folder[:1])[0])
    t_folder = timed(lambda: run_jixiao(folder))
    print(f"  jixiao ingest samples/scans/ {t_folder / pages:6.2f} s/page "
          f"({len(folder)} files, {pages} pages, a fresh process)")


def main(argv: list[str]) -> None:
    if argv[:1] == ["--scan-folder"]:
        scan_folder()
        return
    if argv[:1] == ["--scans"]:
        scans(argv[1:])
        return
    files = list(discover(argv or sorted((ROOT / "samples").glob("*.pdf"))))
    pages = 0
    for f in files:
        with pdfplumber.open(f) as pdf:
            pages += len(pdf.pages)
    print(f"{len(files)} files, {pages} pages, one core")
    t_jx = timed(lambda: run_jixiao(files))
    t_pp = timed(lambda: run_pdfplumber(files))
    t_cl = timed(lambda: run_camelot(files))
    for name, t in (("jixiao ingest (end to end)", t_jx),
                    ("pdfplumber extract_tables", t_pp),
                    ("camelot lattice", t_cl)):
        print(f"  {name:28s} {t:7.2f} s  {pages / t:6.1f} pages/s")
    print(f"  jixiao vs camelot lattice:    {t_cl / t_jx:5.1f}x faster (target >= 3x)")
    print(f"  jixiao vs pdfplumber tables:  {t_pp / t_jx:5.2f}x (target >= 1.0)")


if __name__ == "__main__":
    main(sys.argv[1:])
