"""Ingest beyond one process: scanned pages per second for the plain local ingest
(one process, one core), then on a Dask LocalCluster of 1 and of 2 worker
processes (each pinned to a core of its own), in one run, and the scaling ratio
from 1 to 2 workers. Then the writer: seconds per declaration saved by the one
process that writes, into SQLite and into PostgreSQL, and a projection on paper
of where 10 and 100 workers leave it.

    .venv/bin/python benchmarks/scale.py [SCAN PDF or folder ...]   (default: samples/scans/)
    .venv/bin/python benchmarks/scale.py --times 2     (each file twice, as a new file: a longer
                                                        batch, where the last file's wait
                                                        weighs less; default 2)
    .venv/bin/python benchmarks/scale.py --pg URL      (default: the local server)

Models (recogniser, jieba) are loaded before each timing, in every worker too; the
cluster's start is timed apart. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "error")

from extract.model import ExtractSettings  # noqa: E402
from jixiao import api  # noqa: E402
from jixiao.pipeline import discover, read_file  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORES = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else [0]
PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def warm(threads: int = 0) -> str:
    """Load what a first file would (recogniser, jieba) in this process; a worker's
    recogniser runs its ``threads`` (cluster.read_remote), a process's every core."""
    import numpy as np

    from extract import ocr
    from extract.model import OCRSettings
    from normalize import words

    blank = np.full((48, 96), 255, "uint8")
    ocr.recognizer(OCRSettings(threads=threads)).read([blank])
    words.load()
    return "warm"


def pin(cores: set[int]) -> None:
    """Every thread of this process onto ``cores`` (sched_setaffinity(0) moves only
    the calling thread; a Dask worker computes in threads of its own)."""
    for task in Path("/proc/self/task").iterdir():
        try:
            os.sched_setaffinity(int(task.name), cores)
        except (ProcessLookupError, PermissionError):
            pass  # the thread ended meanwhile


def pages_of(files: list[Path]) -> int:
    import pypdfium2 as pdfium

    total = 0
    for f in files:
        pdf = pdfium.PdfDocument(str(f))
        total += len(pdf)
        pdf.close()
    return total


def timed_ingest(files: list[Path], **how) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        report = api.ingest(files, db=f"sqlite:///{tmp}/scale.db", **how)
        seconds = time.perf_counter() - start
    if report.failed:
        print(f"  note: {len(report.failed)} file(s) failed, e.g. {report.failed[0].reason}")
    return seconds


def plain(files: list[Path]) -> float:
    pin({CORES[0]})
    try:
        warm()
        return timed_ingest(files, workers=1)
    finally:
        pin(set(CORES))


def resident_mb() -> float:
    import psutil  # comes with distributed

    return psutil.Process().memory_info().rss / 2**20


def on_cluster(files: list[Path], workers: int) -> tuple[float, float, float, float]:
    """(start seconds, ingest seconds, largest worker's resident MB after it, CPU
    seconds of this process: submitter, writer and scheduler) on a LocalCluster of
    ``workers`` processes, worker k pinned to core k."""
    import resource

    from distributed import Client, LocalCluster

    start = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, \
            Client(cluster, set_as_default=False) as client:
        addresses = sorted(client.nthreads())
        for k, address in enumerate(addresses):
            client.run(pin, {CORES[k % len(CORES)]}, workers=[address])
        client.run(warm, 1)
        started = time.perf_counter() - start
        before = resource.getrusage(resource.RUSAGE_SELF)
        seconds = timed_ingest(files, cluster=cluster.scheduler_address)
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        return started, seconds, max(client.run(resident_mb).values()), cpu


def writer(files: list[Path], url: str, copies: int) -> float:
    """Seconds per declaration saved (one transaction per file, as ingest saves),
    over ``copies`` new versions of every declaration the files hold."""
    from load import store

    readings = [r.reading for r in (read_file(str(f), ExtractSettings()) for f in files)
                if r.reading is not None]
    engine = store.open_database(url)
    try:
        count, start = 0, time.perf_counter()
        for n in range(copies):
            for reading in readings:
                digest = f"{uuid.uuid4().hex}{n:032x}"[:64]
                found = [replace(d, source=replace(d.source, sha256=digest))
                         for d in reading.declarations]
                store.save_file(engine, found, other_pages=reading.other_pages)
                count += len(found)
        return (time.perf_counter() - start) / count
    finally:
        engine.dispose()


def pg_schema(base: str):
    """A fresh schema on the PostgreSQL server (dropped afterwards), or None."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(base)
    params = dict(host=url.host, port=url.port or 5432, user=url.username,
                  password=url.password, dbname=url.database, connect_timeout=3, autocommit=True)
    schema = f"jixiao_scale_{uuid.uuid4().hex[:8]}"
    try:
        with psycopg.connect(**params) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
    except psycopg.Error as exc:
        print(f"  PostgreSQL not reachable at {url.host}: {str(exc).strip().splitlines()[0]}")
        return None, None
    target = url.update_query_dict({"options": f"-csearch_path={schema}"})

    def drop() -> None:
        with psycopg.connect(**params) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    return target.render_as_string(hide_password=False), drop


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=[str(ROOT / "samples" / "scans")])
    parser.add_argument("--pg", default=PG, help="PostgreSQL URL for the writer's figure")
    parser.add_argument("--times", type=int, default=2,
                        help="read each file this many times, each copy a new file")
    parser.add_argument("--copies", type=int, default=10,
                        help="new versions of each sample declaration the writer saves")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        files = copies(list(discover(args.paths)), args.times, Path(tmp))
        run(files, args)


def copies(files: list[Path], times: int, folder: Path) -> list[Path]:
    """Each file ``times`` times, copy n with a PDF comment appended (a new sha256,
    so no copy is skipped as already loaded)."""
    out = []
    for n in range(times):
        for f in files:
            target = folder / f"{n}_{f.name}"
            target.write_bytes(f.read_bytes() + (f"\n% copy {n}\n".encode() if n else b""))
            out.append(target)
    return out


def run(files: list[Path], args: argparse.Namespace) -> None:
    pages = pages_of(files)
    print(f"{len(files)} scanned files, {pages} pages; {len(CORES)} cores here")
    t_plain = plain(files)
    print(f"  plain local ingest, 1 process      {pages / t_plain:6.3f} pages/s "
          f"({t_plain / pages:.2f} s/page)")
    rates = {}
    for workers in (1, 2):
        started, seconds, memory, cpu = on_cluster(files, workers)
        rates[workers] = pages / seconds
        print(f"  --cluster, {workers} worker(s)             {rates[workers]:6.3f} pages/s "
              f"({seconds / pages:.2f} s/page; cluster start {started:.1f} s, not counted; "
              f"{memory:.0f} MB a worker; submitter and scheduler {cpu / seconds:.0%} of a core)")
    ratio = rates[2] / rates[1]
    print(f"  scaling 1 -> 2 workers: {ratio:.2f}x (target >= 1.8); "
          f"1 worker against plain: {rates[1] * t_plain / pages:.2f}")

    samples = sorted((ROOT / "samples").glob("*.pdf"))
    per_decl = {}
    with tempfile.TemporaryDirectory() as tmp:
        per_decl["SQLite"] = writer(samples, f"sqlite:///{tmp}/w.db", args.copies)
    url, drop = pg_schema(args.pg)
    if url:
        try:
            per_decl["PostgreSQL"] = writer(samples, url, args.copies)
        finally:
            drop()
    pages_per_decl = pages / len(files)
    per_worker = rates[1] * min(1.0, ratio / 2)  # pages/s a worker adds, as measured
    for name, seconds in per_decl.items():
        limit = pages_per_decl / seconds  # pages/s one writer keeps up with
        print(f"  writer into {name:10s} {seconds * 1000:7.1f} ms/declaration: keeps up with "
              f"{limit:6.1f} scanned pages/s = {limit / per_worker:5.0f} workers like these")
        for n in (10, 100):
            read = n * per_worker
            print(f"    {n:3d} workers: read {read:6.1f} pages/s, written "
                  f"{min(read, limit):6.1f} pages/s"
                  f"{'  (writer-bound)' if read > limit else ''}; 5,000 pages in "
                  f"{5000 / min(read, limit) / 60:5.1f} min")
    # born-digital forms read some 20 times faster: where does one writer bind them?
    pin({CORES[0]})
    try:
        t_text = timed_ingest(samples, workers=1)
    finally:
        pin(set(CORES))
    read_rate = len(samples) / t_text
    for name, seconds in per_decl.items():
        print(f"  born-digital: one process reads {read_rate:5.1f} declarations/s (saving "
              f"included); a writer into {name} saves {1 / seconds:5.1f}/s: writer-bound "
              f"beyond ~{1 / seconds / read_rate:3.0f} workers")
    print(f"  ({pages_per_decl:.1f} pages a declaration; "
          f"median scan file {statistics.median(f.stat().st_size for f in files) / 1e6:.1f} MB "
          "sent to its worker)")


if __name__ == "__main__":
    main(sys.argv[1:])
