"""Forms as they arrive (samples/synth/arrival.py): turned scans, pages stored turned,
text layers without character maps, faxes, phone photos. Is each read as well as its
clean equivalent (the born-digital form, or for a turned scan the upright scan)?

    .venv/bin/python benchmarks/arrivals.py --random N [--seed S] [--kind K ...] [--jobs J]
                                            [--keep DIR] [-v]

For seeds S .. S+N-1 and each kind, the spoiled file and its clean equivalent are
ingested into databases of their own, exported and scored field by field against the
truth. Prints per kind: files refused, field accuracy beside the clean equivalent's,
silent errors (wrong fields no issue points at) and fields pointed at, and seconds
per page of each. Seeds below 100000 are the tuning range; judge on fresh seeds.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "samples"))

from bundles import _fields, _ingest  # noqa: E402
from metrics import covered, score_record  # noqa: E402


def _pointed(record: dict | None, expected: dict) -> int:
    if record is None:
        return 0
    score = score_record(record, expected)
    return sum(1 for path, _, _ in score.fields if covered(path, record.get("issues", [])))


def _one(job: tuple[int, str, str]) -> dict:
    from synth.arrival import write_arrival

    seed, kind, folder = job
    try:
        pdf = write_arrival(seed, Path(folder), kind)
    except Exception as exc:  # noqa: BLE001 - a producer that failed is reported, not fatal
        return {"seed": seed, "kind": kind, "skipped": f"{type(exc).__name__}: {exc}"[:200]}
    expected = json.loads(pdf.with_suffix(".expected.json").read_text(encoding="utf-8"))
    meta = json.loads(pdf.with_suffix(".meta.json").read_text(encoding="utf-8"))
    out = {"seed": seed, "kind": kind, "name": pdf.name, "pages": expected["source"]["pages"],
           "meta": meta["arrival"]}
    for label, path in (("got", pdf), ("clean", Path(folder) / "clean" / meta["arrival"]["clean"])):
        started = time.perf_counter()
        result, records = _ingest(path)
        record = records[0] if records else None
        right, silent, fields = _fields(record, expected)
        out[label] = {"failed": result.reason if result.status == "failed" else "",
                      "right": right, "silent": silent, "fields": fields,
                      "pointed": _pointed(record, expected),
                      "seconds": time.perf_counter() - started}
    return out


def report(results: list[dict], verbose: bool) -> None:
    by: dict[str, list[dict]] = defaultdict(list)
    for r in results:
        if r.get("skipped"):
            print(f"  generator failed on seed {r['seed']} ({r['kind']}): {r['skipped']}")
            continue
        by[r["kind"]].append(r)
    print(f"\n{'kind':10s} {'files':>5s} {'refused':>7s} {'accuracy':>9s} {'clean':>8s} "
          f"{'silent':>7s} {'clean':>7s} {'pointed':>8s} {'clean':>7s} {'s/page':>7s} {'clean':>6s}")
    for kind, rs in sorted(by.items()):
        def total(label: str, key: str, rs: list[dict] = rs) -> float:
            return sum(r[label][key] for r in rs)

        pages = sum(r["pages"] for r in rs)
        row = [f"{kind:10s}", f"{len(rs):5d}", f"{sum(1 for r in rs if r['got']['failed']):7d}"]
        for key, digits in (("right", 2), ("silent", 3), ("pointed", 2)):
            for label in ("got", "clean"):
                share = 100 * total(label, key) / max(1, total(label, "fields"))
                row.append(f"{share:{8 if key == 'right' else 7}.{digits}f}%")
        row += [f"{total('got', 'seconds') / pages:7.2f}", f"{total('clean', 'seconds') / pages:6.2f}"]
        print(" ".join(row))
        for r in rs:
            if verbose or r["got"]["failed"] or r["got"]["right"] + 1e-9 < r["clean"]["right"] - 2:
                print(f"    {r['name']} {r['meta']}: {r['got']['right']:.1f} right, "
                      f"{r['got']['silent']:.1f} silent of {r['got']['fields']} "
                      f"(clean {r['clean']['right']:.1f}) {r['got']['failed']}")


def main(argv: list[str]) -> int:
    from synth.arrival import KINDS

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--random", type=int, required=True, metavar="N")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--kind", choices=KINDS, action="append")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = str(args.keep or tmp)
        jobs = [(s, k, folder) for k in (args.kind or KINDS)
                for s in range(args.seed, args.seed + args.random)]
        with ProcessPoolExecutor(args.jobs) as pool:
            results = list(pool.map(_one, jobs))
    report(results, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
