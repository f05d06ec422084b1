"""Files of several forms, and forms inside booklets (samples/synth/bundle.py): are the
forms found, each with its own pages, year and department, and read as well as alone?

    .venv/bin/python benchmarks/bundles.py --random N [--seed S] [--kind K] [--jobs J]
                                           [--keep DIR] [-v]

For seeds S .. S+N-1 and each kind (concatenated, booklet, or ``--kind``), the bundle is
generated, ingested into a database of its own and exported; each form is also
ingested alone. Prints, per kind: the forms found of those bundled, page ranges
exactly right, forms merged into another or lost, years and departments right, the
pages reported as part of no form against the truth, and field accuracy and silent
errors (wrong fields no issue points at) in the bundle beside the same forms read
alone. Seeds below 100000 are the tuning range; judge a change on fresh seeds.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "samples"))

from metrics import covered, score_record  # noqa: E402


def _ingest(pdf: Path):
    from jixiao import api

    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{Path(tmp) / 'one.db'}"
        result = api.ingest([pdf], db=db, workers=1).results[0]
        records = api.export(db=db, fmt="json") if result.status != "failed" else []
    return result, sorted(records, key=lambda r: r["source"].get("first_page", 1))


def _fields(record: dict | None, expected: dict) -> tuple[float, float, int]:
    """Right fields, silent wrong fields, all fields."""
    score = score_record(record or {}, expected)
    issues = (record or {}).get("issues", [])
    right = sum(credit for _, _, credit in score.fields)
    silent = sum(1 - credit for path, _, credit in score.fields
                 if record is not None and not covered(path, issues))
    return right, silent, len(score.fields)


def made(write, job: tuple[int, str, str]) -> tuple[Path, Any, dict] | dict:
    """The file ``write`` makes for the (seed, kind, folder) job, with its truth and
    meta; or, when the generator failed, the result that says so."""
    seed, kind, folder = job
    try:
        pdf = write(seed, Path(folder), kind)
    except Exception as exc:  # noqa: BLE001 - a producer that failed is reported, not fatal
        return {"seed": seed, "kind": kind, "skipped": f"{type(exc).__name__}: {exc}"[:200]}
    return (pdf, json.loads(pdf.with_suffix(".expected.json").read_text(encoding="utf-8")),
            json.loads(pdf.with_suffix(".meta.json").read_text(encoding="utf-8")))


def _one(job: tuple[int, str, str]) -> dict:
    from synth.bundle import write_bundle

    got = made(write_bundle, job)
    if isinstance(got, dict):
        return got
    pdf, expected, meta = got
    seed, kind, folder = job
    result, records = _ingest(pdf)
    out = {"seed": seed, "kind": kind, "name": pdf.name, "failed": result.reason if result.status == "failed" else "",
           "found": len(records), "bundled": len(expected), "exact": 0, "merged": 0, "lost": 0,
           "identity": 0, "other_right": list(result.other_pages) == meta["other_pages"],
           "other": list(result.other_pages), "other_truth": meta["other_pages"],
           "right": 0.0, "silent": 0.0, "fields": 0, "alone_right": 0.0, "alone_silent": 0.0,
           "alone_fields": 0}
    taken: set[int] = set()
    for form, want in zip(meta["forms"], expected, strict=True):
        span = (form["first_page"], form["last_page"])
        got = [k for k, r in enumerate(records)
               if r["source"]["first_page"] <= span[1] and span[0] <= r["source"]["last_page"]]
        match = next((k for k in got if k not in taken), None)
        record = records[match] if match is not None else None
        if match is None:
            out["lost"] += 1
        else:
            taken.add(match)
            src = record["source"]
            out["exact"] += (src["first_page"], src["last_page"]) == span
            out["identity"] += (record["year"], record["department"]) == (want["year"], want["department"])
        right, silent, fields = _fields(record, want)
        out["right"] += right
        out["silent"] += silent
        out["fields"] += fields
        alone = Path(folder) / "forms" / f"synth_{form['seed']}.pdf"
        _, alone_records = _ingest(alone)
        right, silent, fields = _fields(alone_records[0] if alone_records else None, want)
        out["alone_right"] += right
        out["alone_silent"] += silent
        out["alone_fields"] += fields
    # a declaration over the pages of two forms or more: forms merged into one record
    out["merged"] = sum(1 for r in records if sum(
        1 for f in meta["forms"] if f["first_page"] <= r["source"]["last_page"]
        and r["source"]["first_page"] <= f["last_page"]) >= 2)
    return out


def by_kind(results: list[dict]) -> dict[str, list[dict]]:
    """The results per kind; a generator that failed is said, and left out."""
    by: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        if r.get("skipped"):
            print(f"  generator failed on seed {r['seed']} ({r['kind']}): {r['skipped']}")
            continue
        by[r["kind"]].append(r)
    return by


def report(results: list[dict], verbose: bool) -> None:
    for kind, rs in sorted(by_kind(results).items()):
        bundled = sum(r["bundled"] for r in rs)
        fields = max(1, sum(r["fields"] for r in rs))
        alone = max(1, sum(r["alone_fields"] for r in rs))
        print(f"\n{kind}: {len(rs)} files, {bundled} forms bundled")
        print(f"  declarations found        {sum(r['found'] for r in rs)} "
              f"(files refused: {sum(1 for r in rs if r['failed'])})")
        print(f"  page ranges exactly right {sum(r['exact'] for r in rs)} / {bundled}")
        print(f"  forms lost or merged      {sum(r['lost'] for r in rs)} lost, "
              f"{sum(r['merged'] for r in rs)} merged")
        print(f"  year and department right {sum(r['identity'] for r in rs)} / {bundled}")
        print(f"  other pages as the truth  {sum(r['other_right'] for r in rs)} / {len(rs)} files")
        print(f"  field accuracy            {100 * sum(r['right'] for r in rs) / fields:.2f}% "
              f"(the same forms alone: {100 * sum(r['alone_right'] for r in rs) / alone:.2f}%)")
        print(f"  silent errors             {100 * sum(r['silent'] for r in rs) / fields:.3f}% "
              f"(alone: {100 * sum(r['alone_silent'] for r in rs) / alone:.3f}%)")
        for r in rs:
            bad = (r["failed"] or r["found"] != r["bundled"] or r["exact"] != r["bundled"]
                   or not r["other_right"] or r["right"] + 1e-9 < r["alone_right"])
            if verbose or bad:
                print(f"    {r['name']}: found {r['found']}/{r['bundled']}, exact {r['exact']}, "
                      f"other {r['other']} (truth {r['other_truth']}), fields "
                      f"{r['right']:.1f}/{r['fields']} (alone {r['alone_right']:.1f}) {r['failed']}")


def run(argv: list[str], description: str, kinds: tuple[str, ...], one, report_results) -> int:
    """The command line both benchmarks of files as they arrive share: ``one`` reads a
    (seed, kind, folder) job, ``report_results`` prints the results of all of them."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--random", type=int, required=True, metavar="N")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--kind", choices=kinds, action="append")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = str(args.keep or tmp)
        jobs = [(s, k, folder) for k in (args.kind or kinds)
                for s in range(args.seed, args.seed + args.random)]
        with ProcessPoolExecutor(args.jobs) as pool:
            results = list(pool.map(one, jobs))
    report_results(results, args.verbose)
    return 0


def main(argv: list[str]) -> int:
    return run(argv, __doc__.splitlines()[0], ("concatenated", "booklet"), _one, report)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
