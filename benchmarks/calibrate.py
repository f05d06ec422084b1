"""Calibrate one threshold of the scan path over typefaces and resolutions.

    .venv/bin/python benchmarks/calibrate.py KNOB VALUE [VALUE ...] [--random N] [--seed S]
                                             [--jobs J] [--keep DIR]

KNOB is a field of ``TextGeometry`` (seed_height, seed_width, piece_gap, one_line,
two_lines, pad, speck, hairline: multiples of the page's text height) or of
``OCRSettings`` (runner_up, ink, faint, permille_sure as LOW/HIGH, precision f32/bf16). Scans of the random
forms S .. S+N-1 (samples/synth: every producer and typeface, 150-300 dpi, seals,
blur, JPEG) are made once (kept in DIR when given) and each is read with the knob at
each VALUE, everything else at its default. For each value it prints field accuracy,
the worst typeface's and the worst resolution's, the share of fields wrong with no
issue pointing at them (silent) and of fields pointed at; then the value it would
choose: the fewest silent errors (trust first), then the best worst typeface, then the
best overall. The choice is a proposal: a default is changed in extract/model.py by
hand, with the figures in the commit, and judged again on seeds not used here.

Seeds below 100000 are the tuning range; calibrate there, and judge on fresh seeds.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from metrics import Score  # noqa: E402
from random_forms import _merge_fields, _read  # noqa: E402

from extract.model import ExtractSettings, OCRSettings, TextGeometry, setting_text  # noqa: E402

GEOMETRY = tuple(f.name for f in dataclasses.fields(TextGeometry))
OCR_KNOBS = ("runner_up", "ink", "faint", "permille_sure", "precision")


def settings_with(knob: str, value: str) -> ExtractSettings:
    """Default settings with ``knob`` set to ``value`` (validated by the settings)."""
    if knob in GEOMETRY:
        ocr = OCRSettings(text=dataclasses.replace(TextGeometry(), **{knob: float(value)}))
    elif knob == "permille_sure":
        low, high = (float(v) for v in value.split("/"))
        ocr = OCRSettings(permille_sure=(low, high))
    elif knob in ("ink", "faint"):
        ocr = OCRSettings(**{knob: int(value)})
    elif knob == "runner_up":
        ocr = OCRSettings(runner_up=float(value))
    elif knob == "precision":
        ocr = OCRSettings(precision=value)
    else:
        raise SystemExit(f"calibrate: unknown knob {knob!r}; one of {', '.join(GEOMETRY + OCR_KNOBS)}")
    return ExtractSettings(ocr=ocr)


def default_of(knob: str) -> str:
    default = OCRSettings()
    return setting_text(getattr(default.text, knob) if knob in GEOMETRY else getattr(default, knob))


@dataclasses.dataclass
class Outcome:
    """One value's readings of every scan."""

    value: str
    overall: Score = dataclasses.field(default_factory=Score)
    faces: dict[str, Score] = dataclasses.field(default_factory=lambda: defaultdict(Score))
    dpis: dict[int, Score] = dataclasses.field(default_factory=lambda: defaultdict(Score))
    fields: int = 0
    silent: float = 0.0
    pointed: int = 0
    refused: int = 0

    def add(self, result: dict) -> None:
        if result.get("skipped"):
            return
        if result["failed"]:
            self.refused += 1
        _merge_fields(self.overall, result["fields"])
        _merge_fields(self.faces[result["meta"]["face"]], result["fields"])
        _merge_fields(self.dpis[result["meta"]["scan"]["dpi"]], result["fields"])
        self.fields += len(result["fields"])
        self.silent += result["silent"]
        self.pointed += result["pointed"]

    def worst(self, groups: dict) -> tuple[str, float]:
        key = min(groups, key=lambda k: groups[k].accuracy())
        return str(key), groups[key].accuracy()

    def rank(self) -> tuple[float, float, float]:
        """Smaller is better: silent errors, then the worst typeface, then overall."""
        return (round(self.silent / max(self.fields, 1), 5), -self.worst(self.faces)[1],
                -self.overall.accuracy())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("knob")
    ap.add_argument("values", nargs="+")
    ap.add_argument("--random", type=int, default=12)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path)
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="jixiao-calibrate-"))
    folder.mkdir(parents=True, exist_ok=True)
    seeds = range(args.seed, args.seed + args.random)
    outcomes = []
    with ProcessPoolExecutor(args.jobs) as pool:
        # the scans are made on the first pass and read from the folder after it
        for value in args.values:
            settings = settings_with(args.knob, value)
            started = time.perf_counter()
            outcome = Outcome(value)
            for result in pool.map(_read, [(s, None, str(folder), True, settings) for s in seeds]):
                if result.get("error"):
                    print(f"  generator failed on seed {result['seed']}: {result['error']}")
                outcome.add(result)
            outcomes.append(outcome)
            print(f"  {args.knob}={value}: read in {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
    if not any(o.fields for o in outcomes):
        raise SystemExit("calibrate: no scan was read")
    print(f"{args.knob} over {args.random} random scans (seeds {seeds.start}..{seeds.stop - 1}, "
          f"in {folder}); default {default_of(args.knob)}")
    print(f"{'value':>10s} {'accuracy':>9s}  {'worst typeface':24s} {'worst dpi':14s} "
          f"{'silent':>7s} {'pointed':>8s} {'refused':>7s}")
    for o in outcomes:
        face, face_acc = o.worst(o.faces)
        dpi, dpi_acc = o.worst(o.dpis)
        print(f"{o.value:>10s} {100 * o.overall.accuracy():8.2f}%  "
              f"{face + f' {100 * face_acc:.2f}%':24s} {dpi + f' {100 * dpi_acc:.2f}%':14s} "
              f"{100 * o.silent / max(o.fields, 1):6.3f}% {100 * o.pointed / max(o.fields, 1):7.2f}% "
              f"{o.refused:7d}")
    best = min(outcomes, key=Outcome.rank)
    print(f"chosen: {best.value} (fewest silent errors, then the best worst typeface, then the "
          f"best overall); the default is {default_of(args.knob)}")


if __name__ == "__main__":
    main()
