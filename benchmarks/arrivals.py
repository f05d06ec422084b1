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

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "samples"))

from bundles import _fields, _ingest, by_kind, made, run  # noqa: E402
from metrics import covered, score_record  # noqa: E402


def _pointed(record: dict | None, expected: dict) -> int:
    if record is None:
        return 0
    score = score_record(record, expected)
    return sum(1 for path, _, _ in score.fields if covered(path, record.get("issues", [])))


def _one(job: tuple[int, str, str]) -> dict:
    from synth.arrival import write_arrival

    got = made(write_arrival, job)
    if isinstance(got, dict):
        return got
    pdf, expected, meta = got
    seed, kind, folder = job
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
    by = by_kind(results)
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

    return run(argv, __doc__.splitlines()[0], KINDS, _one, report)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
