"""Memory over a long ingest: resident set size every 100 files of a 1000-file run.

    .venv/bin/python benchmarks/memory.py [--files 1000] [--db sqlite:///…]
    .venv/bin/python benchmarks/memory.py --scans [--files 36]   (≈ 100 scanned pages)

The files are the born-digital samples (those with an expected export) made distinct by
appending a PDF comment (``% copy N``): every one is a new document, and since department
and year stay the same each one supersedes the last, so the run also walks version chains
hundreds long. They are ingested in this process (``jixiao.api.ingest``) into a temporary
SQLite database unless ``--db`` names another. RSS is read from /proc/self/status (psutil
when installed); the peak is ``getrusage``'s ``ru_maxrss``. Memory should stay flat after
the first hundred files (imports, fonts and caches warm up there). ``--scans`` does the
same with the scans in samples/scans/ (the OCR path: page images, the recogniser),
sampling every ``--every`` files. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jixiao import api  # noqa: E402
from jixiao.pipeline import FileResult  # noqa: E402


def rss_mib() -> float:
    """Current resident set size of this process, MiB."""
    try:
        import psutil  # type: ignore[import-untyped]

        return psutil.Process().memory_info().rss / 2**20
    except ImportError:
        pass
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return peak_mib()  # no /proc: the best figure there is


def peak_mib() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB else


def make_files(folder: Path, count: int, scans: bool = False) -> list[Path]:
    source = ROOT / "samples" / "scans" if scans else ROOT / "samples"
    samples = sorted(p for p in source.glob("*.pdf") if p.with_suffix(".expected.json").exists())
    originals = [(p.name, p.read_bytes()) for p in samples]
    files = []
    for n in range(count):
        name, data = originals[n % len(originals)]
        path = folder / f"{n:04d}_{name}"
        path.write_bytes(data + f"\n% copy {n}\n".encode())
        files.append(path)
    return files


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, help="how many files (default 1000, 36 with --scans)")
    parser.add_argument("--scans", action="store_true", help="scanned files: the OCR path")
    parser.add_argument("--every", type=int, help="sample RSS every N files (100, 6 with --scans)")
    parser.add_argument("--db", help="SQLAlchemy URL (default: a temporary SQLite file)")
    args = parser.parse_args(argv)
    count = args.files or (36 if args.scans else 1000)
    every = args.every or (6 if args.scans else 100)

    with tempfile.TemporaryDirectory() as tmp:
        files = make_files(Path(tmp), count, scans=args.scans)
        db = args.db or f"sqlite:///{Path(tmp) / 'memory.db'}"
        print(f"{len(files)} files, database {db}")
        start_rss = rss_mib()
        print(f"  start (imports done)      RSS {start_rss:7.1f} MiB")
        samples: list[tuple[int, float]] = []
        done = 0
        began = time.perf_counter()

        def on_file(result: FileResult) -> None:
            nonlocal done
            done += 1
            if done % every == 0 or done == len(files):
                samples.append((done, rss_mib()))
                print(
                    f"  after {done:5d} files        RSS {samples[-1][1]:7.1f} MiB"
                    f"   ({time.perf_counter() - began:6.1f} s)",
                    flush=True,
                )

        report = api.ingest(files, db=db, on_file=on_file)
        seconds = time.perf_counter() - began
        print(f"  {report.pages} pages")

        # ru_maxrss (the kernel's high-water mark) can lag a sample taken just before.
        peak = max([peak_mib(), *(rss for _, rss in samples)])
        print(f"  peak                      RSS {peak:7.1f} MiB")
        if len(samples) >= 2:
            first_n, first = samples[0]
            last_n, last = samples[-1]
            print(
                f"  growth from file {first_n} to {last_n}:  {last - first:+.1f} MiB "
                f"({(last - first) / max(last_n - first_n, 1) * 1000:+.2f} MiB per 1000 files)"
            )
        print(f"  {report.summary()}; {seconds:.1f} s, {len(files) / seconds:.1f} files/s")
        if db.startswith("sqlite:///") and not args.db:
            size = (Path(tmp) / "memory.db").stat().st_size / 2**20
            print(f"  database file {size:.1f} MiB")


if __name__ == "__main__":
    main(sys.argv[1:])
