"""Write generated forms: ``make.py --seeds 0-19 --out DIR [--defects] [--jobs N]``, or
the committed CI set into samples/random/ (its scans into samples/random/scans/):
``make.py --ci``.

``--defects`` also writes, for every seed, one copy broken by each defect that applies
(synth_<seed>_<defect>.pdf). Seeds are ranges or lists: ``0-99``, ``5,7,1000-1009``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from synth import defects, write, write_scan  # noqa: E402


def seeds(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split(","):
        a, _, b = part.partition("-")
        out += list(range(int(a), int(b) + 1)) if b else [int(a)]
    return out


def _one(job: tuple[int, str | None, Path, dict]) -> str:
    seed, defect, folder, axes = job
    try:
        return str(write(seed, folder, defect, **axes))
    except defects.NotApplicable:
        return f"seed {seed}: {defect} does not apply"


def _scan(job: tuple[int, Path, dict]) -> str:
    """The scan alone (with its expected export and meta) into the folder: the form it
    was made from is written beside it first, in a scratch folder."""
    seed, folder, axes = job
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        scan = write_scan(seed, Path(tmp), None, **axes)
        for path in (scan, scan.with_suffix(".expected.json"), scan.with_suffix(".meta.json")):
            shutil.move(str(path), folder / path.name)
    return str(folder / scan.name)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--ci", action="store_true")
    ap.add_argument("--defects", action="store_true")
    ap.add_argument("--producer")
    ap.add_argument("--face")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    if args.ci:
        from synth.ci_set import CI_SET

        out = Path(__file__).resolve().parent.parent / "random"
        from synth.ci_set import SCAN_SET

        jobs = [(s, d, out, {"producer": p, "face": f}) for s, p, f, d in CI_SET]
        scans = [(s, out / "scans", {"producer": p, "face": f}) for s, p, f in SCAN_SET]
        with ProcessPoolExecutor(args.jobs) as pool:
            for line in [*pool.map(_one, jobs), *pool.map(_scan, scans)]:
                print(line, flush=True)
        return 0
    if not (args.seeds and args.out):
        ap.error("--seeds and --out (or --ci)")
    axes = {k: v for k, v in (("producer", args.producer), ("face", args.face)) if v}
    jobs = [(s, None, args.out, axes) for s in seeds(args.seeds)]
    if args.defects:
        jobs += [(s, d, args.out, axes) for s in seeds(args.seeds) for d in defects.DEFECTS]
    with ProcessPoolExecutor(args.jobs) as pool:
        for line in pool.map(_one, jobs):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
