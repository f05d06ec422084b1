"""Born-digital pages per second on one core: jixiao ingest end to end (parse,
normalize, write to SQLite) against camelot lattice and pdfplumber's plain
extract_tables on the same files, in the same run.

    .venv/bin/python benchmarks/speed.py [PDF or folder ...]   (default: samples/)

Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
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


def main(argv: list[str]) -> None:
    files = list(discover(argv or [ROOT / "samples"]))
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
