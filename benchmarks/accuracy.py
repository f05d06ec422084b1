"""Field accuracy of `jixiao ingest` on the bundled samples, born-digital and scanned.

    .venv/bin/python benchmarks/accuracy.py [-v] [FOLDER ...]   (default: samples/, samples/scans/)
    .venv/bin/python benchmarks/accuracy.py --random N [--seed S] [--defects] [--scans] [--jobs J] [--keep DIR]
        random generated forms instead (benchmarks/random_forms.py)

Every PDF that has a ``<name>.expected.json`` beside it is ingested into a database
of its own (a scan and its born-digital original are the same declaration, so in
one database one would supersede the other), exported, and scored field by field
(benchmarks/metrics.py). Files are grouped by how they were made: born-digital, or
a scan by its dpi (``_300dpi``) and variant. Prints figures; asserts nothing.
``-v`` lists every wrong field.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from metrics import KINDS, Score, score_record  # noqa: E402

from jixiao import api  # noqa: E402

ROOT = HERE.parent
TARGETS = {"born-digital": 1.0, "scan 300dpi": 0.99, "scan 200dpi": 0.98}
_SCAN = re.compile(r"_(\d+)dpi(?:_(\w+))?$")


def group_of(pdf: Path) -> str:
    found = _SCAN.search(pdf.stem)
    if not found:
        return "born-digital"
    return f"scan {found.group(1)}dpi" + (f" {found.group(2)}" if found.group(2) else "")


def with_expected(folders: list[Path]) -> list[Path]:
    return [p for folder in folders for p in sorted(folder.glob("*.pdf"))
            if p.with_suffix(".expected.json").exists()]


def read_one(pdf: Path, tmp: Path) -> tuple[dict | None, str, int, float]:
    """(record, failure reason, pages, seconds) of one file ingested alone."""
    db = f"sqlite:///{tmp / (pdf.stem + '.db')}"
    started = time.perf_counter()
    report = api.ingest([pdf], db=db)
    seconds = time.perf_counter() - started
    result = report.results[0]
    if result.status == "failed":
        return None, result.reason, result.pages, seconds
    records = api.export(db=db, fmt="json")
    return (records[0] if records else None), "", result.pages, seconds


def main(argv: list[str]) -> None:
    if "--random" in argv:
        import argparse

        import random_forms

        ap = argparse.ArgumentParser()
        ap.add_argument("--random", type=int, required=True)
        ap.add_argument("--seed", type=int, default=100000)
        ap.add_argument("--defects", action="store_true")
        ap.add_argument("--scans", action="store_true")
        ap.add_argument("--jobs", type=int, default=2)
        ap.add_argument("--keep", type=Path)
        ap.add_argument("-v", action="store_true")
        a = ap.parse_args(argv)
        random_forms.main(a.random, a.seed, a.defects, a.jobs, a.keep, a.v, a.scans)
        return
    verbose = "-v" in argv
    folders = [Path(a) for a in argv if a != "-v"] or [ROOT / "samples", ROOT / "samples" / "scans"]
    scores: dict[str, Score] = defaultdict(Score)
    pages: dict[str, int] = defaultdict(int)
    seconds: dict[str, float] = defaultdict(float)
    issues: dict[str, list[str]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        for pdf in with_expected(folders):
            group = group_of(pdf)
            expected = json.loads(pdf.with_suffix(".expected.json").read_text(encoding="utf-8"))
            record, reason, n, t = read_one(pdf, Path(tmp))
            pages[group] += n
            seconds[group] += t
            score = score_record(record or {}, expected)
            scores[group].merge(score)
            if record is None:
                print(f"  {pdf.name}: FAILED: {reason}")
            else:
                issues[group] += [f"{pdf.name} p{i.get('page')}: {i['code']}: {i['message']}"
                                  for i in record.get("issues", [])]
            if verbose and score.wrong:
                print(f"  {pdf.name}: {len(score.wrong)} wrong")
                for line in score.wrong:
                    print(f"      {line}")
    print(f"{'group':18s} {'pages':>5s} {'s/page':>6s} {'all':>7s}  "
          + " ".join(f"{k:>10s}" for k in KINDS) + "  target")
    for group in sorted(scores, key=lambda g: (g != "born-digital", g)):
        s = scores[group]
        cells = " ".join(f"{100 * s.accuracy(k):9.2f}%" if s.total[k] else f"{'-':>10s}"
                         for k in KINDS)
        target = TARGETS.get(group)
        mark = "" if target is None else f">= {100 * target:.0f}% " + (
            "ok" if s.accuracy() >= target - 1e-9 else "MISSED")
        per_page = seconds[group] / max(pages[group], 1)
        print(f"{group:18s} {pages[group]:5d} {per_page:6.2f} {100 * s.accuracy():6.2f}%  "
              f"{cells}  {mark}")
    for group, found in issues.items():
        if found:
            print(f"issues raised ({group}):")
            for line in found:
                print(f"  {line}")


if __name__ == "__main__":
    main(sys.argv[1:])
