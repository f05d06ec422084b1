"""Per file: discover, hash, skip what is loaded, extract → normalize → load.

Reading (extract and normalize) runs in worker processes (forked where the
system can) or on a Dask cluster (``cluster.py``); writing happens in this
process, one transaction per file, in the order the files were found. A single
writer keeps SQLite and PostgreSQL equally correct, and saving in a fixed order
makes a run's result independent of which worker finished first (two files of
the same declaration supersede in discovery order). At most ``2 ×`` the readers'
threads files are in flight, so memory stays flat over any batch.

A file that fails is recorded with a one-line reason and the batch goes on;
a failure leaves nothing of that file behind and touches nothing loaded.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent import futures
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.engine import Engine

from extract.model import ExtractError, ExtractSettings
from extract.pdf import extract_document, sha256_of
from load import store
from load.errors import LoadError
from normalize.document import read_forms
from normalize.model import FileReading, NormalizeError

log = logging.getLogger(__name__)
STATUSES = ("loaded", "superseded", "skipped", "failed")


@dataclass(frozen=True)
class FormResult:
    """One declaration of a file: its pages, what it is, what happened to it."""

    first_page: int
    last_page: int
    status: str
    department: str
    year: int
    issues: int = 0


@dataclass(frozen=True)
class FileResult:
    """What happened to one file. ``status``: loaded, superseded, skipped, failed.

    ``forms`` are the declarations found in the file, in page order, and
    ``other_pages`` the pages that are part of none; ``department``, ``year`` and
    ``issues`` are the first declaration's (issues: all of them)."""

    path: str
    status: str
    reason: str = ""
    pages: int = 0
    seconds: float = 0.0
    department: str | None = None
    year: int | None = None
    issues: int = 0
    page_kinds: tuple[str, ...] = ()
    forms: tuple[FormResult, ...] = ()
    other_pages: tuple[int, ...] = ()

    def as_record(self) -> dict[str, object]:
        return {**asdict(self), "page_kinds": list(self.page_kinds),
                "forms": [asdict(f) for f in self.forms], "other_pages": list(self.other_pages)}


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def pages(self) -> int:
        return sum(r.pages for r in self.results)

    def summary(self) -> str:
        parts = [f"{self.count(s)} {s}" for s in STATUSES]
        with_issues = sum(1 for r in self.results if r.issues)
        files = "1 file" if len(self.results) == 1 else f"{len(self.results)} files"
        forms = sum(len(r.forms) for r in self.results)
        if forms > sum(1 for r in self.results if r.forms):  # a file held several forms
            files += f" ({forms} declarations)"
        return f"{files}: " + ", ".join(parts) + f"; {with_issues} with issues"


FileCallback = Callable[[FileResult], None]


def discover(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and every *.pdf below the folders named, in a stable order.
    A named file is taken whatever its ending, so a wrong file gets a reason."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")
        else:
            yield path


@dataclass(frozen=True)
class ReadOutcome:
    """A worker's answer: the file's declarations, or why there are none;
    ``worker`` names a cluster's worker that read it."""

    reading: FileReading | None
    reason: str
    pages: int
    page_kinds: tuple[str, ...]
    seconds: float
    worker: str = ""

    @classmethod
    def failed(cls, reason: str) -> ReadOutcome:
        """A file that failed before any of it was read."""
        return cls(None, reason, 0, (), 0.0)


def read_file(path: str, settings: ExtractSettings) -> ReadOutcome:
    """Extract and normalize one file (runs in a worker process)."""
    started = time.perf_counter()
    pages, kinds = 0, ()
    try:
        doc = extract_document(path, settings)
        pages, kinds = len(doc.pages), tuple(doc.page_kinds)
        reading = read_forms(doc)
    except (ExtractError, NormalizeError, OSError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        return ReadOutcome(None, reason, pages, kinds, time.perf_counter() - started)
    except Exception as exc:  # a bug met on odd input fails its file, loudly, not the batch
        log.exception("internal error reading %s", path)
        reason = f"internal error (please report it): {type(exc).__name__}: {exc}"
        return ReadOutcome(None, reason, pages, kinds, time.perf_counter() - started)
    return ReadOutcome(reading, "", pages, kinds, time.perf_counter() - started)


def _save(engine: Engine, path: Path, read: ReadOutcome, force: bool, load_id: int) -> FileResult:
    seconds = round(read.seconds, 3)
    if read.reading is None:
        return FileResult(str(path), "failed", read.reason, read.pages, seconds,
                          page_kinds=read.page_kinds)
    found = read.reading.declarations
    started = time.perf_counter()
    try:
        # stored absolute: `show` must find the file from wherever it is run
        saved = store.save_file(engine, found, other_pages=read.reading.other_pages,
                                force=force, load_id=load_id, path=str(path.resolve()))
    except LoadError as exc:
        return FileResult(str(path), "failed", str(exc), read.pages, seconds,
                          page_kinds=read.page_kinds)
    forms = tuple(FormResult(*d.source.page_range, s.status, d.department, d.year, len(d.issues))
                  for d, s in zip(found, saved, strict=True))
    statuses = {s.status for s in saved}
    status = next(s for s in ("superseded", "loaded", "skipped") if s in statuses)
    return FileResult(str(path), status, "", read.pages,
                      round(seconds + time.perf_counter() - started, 3), found[0].department,
                      found[0].year, sum(f.issues for f in forms), read.page_kinds, forms,
                      read.reading.other_pages)


def _precheck(engine: Engine, path: Path, force: bool) -> FileResult | None:
    """A result without reading the file, when one is already known."""
    try:
        if not path.is_file():
            return FileResult(str(path), "failed", "file not found")
        if not force and store.known_document(engine, sha256_of(path)):
            return FileResult(str(path), "skipped", "unchanged: already loaded")
    except OSError as exc:
        return FileResult(str(path), "failed", f"cannot read file ({exc.strerror or exc})")
    return None


def _die_with_parent(parent: int) -> None:
    """Worker initializer: a worker whose parent is killed (kill -9, OOM) must not
    live on holding memory. Linux ends it with the parent (PR_SET_PDEATHSIG);
    elsewhere it exits when it finds itself adopted."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the check below is the only guard
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


PR_SET_PDEATHSIG = 1


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Readers(Protocol):
    """Where files are read: a pool of this machine's processes, or a cluster's
    workers. ``in_flight``: files handed out at most (the window that bounds memory)."""

    @property
    def in_flight(self) -> int: ...

    def submit(self, path: Path) -> Any: ...

    def result(self, handle: Any, path: Path) -> ReadOutcome: ...

    def wait(self, handles: list[Any]) -> None:
        """Return once one of ``handles`` (all still being read) is done."""

    def close(self) -> None: ...


class _ProcessPool:
    def __init__(self, settings: ExtractSettings, workers: int) -> None:
        # fork: workers start at once with every module loaded, and a script calling
        # ingest needs no __main__ guard; they never touch the parent's connections.
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self.settings, self.workers = settings, workers
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                        initializer=_die_with_parent, initargs=(os.getpid(),))

    @property
    def in_flight(self) -> int:  # one waiting for each process as it finishes one
        return 2 * self.workers

    def submit(self, path: Path) -> Future[ReadOutcome]:
        return self.pool.submit(read_file, str(path), self.settings)

    def result(self, handle: Future[ReadOutcome], path: Path) -> ReadOutcome:
        try:
            return handle.result()
        except BrokenProcessPool as exc:  # a worker killed (e.g. out of memory) fails its file
            return ReadOutcome.failed(f"worker process died: {exc}")

    def wait(self, handles: list[Future[ReadOutcome]]) -> None:
        futures.wait(handles, return_when=futures.FIRST_COMPLETED)

    def close(self) -> None:
        self.pool.shutdown()


def ingest(engine: Engine, paths: Iterable[str | Path], settings: ExtractSettings | None = None,
           *, force: bool = False, workers: int | None = None, cluster: str | None = None,
           on_file: FileCallback | None = None,
           on_start: Callable[[int], None] | None = None,
           on_event: Callable[[str], None] | None = None) -> IngestReport:
    """Load every file; ``on_start`` gets the number of files found, ``on_file``
    is called as each one finishes, in order. ``cluster``: a Dask scheduler's
    address, or ``local``/``local:N``, to read there instead of in ``workers``
    processes here; ``on_event`` hears of its workers joining, lost or slow."""
    settings = settings or ExtractSettings()
    workers = max(1, workers or default_workers())
    files = list(discover(paths))
    readers: Readers | None = None
    if cluster:
        from jixiao.cluster import ClusterReaders  # Dask is imported only when asked for

        readers = ClusterReaders(cluster, settings, on_event=on_event)
    if on_start:
        on_start(len(files))
    report = IngestReport()
    options = {"force": force, "source": settings.source, "files": len(files)}
    options.update({"cluster": cluster} if cluster else {"workers": workers})
    try:
        load_id = store.start_load_run(engine, options)
    except BaseException:
        if readers is not None:
            readers.close()
        raise

    def record(result: FileResult) -> None:
        report.results.append(result)
        if on_file:
            on_file(result)

    try:
        if readers is None and (workers == 1 or len(files) <= 1):
            for path in files:
                record(_precheck(engine, path, force)
                       or _save(engine, path, read_file(str(path), settings), force, load_id))
        else:
            readers = readers or _ProcessPool(settings, workers)
            _ingest_windowed(engine, files, readers, force, load_id, record)
    finally:
        if readers is not None:
            readers.close()
        store.finish_load_run(engine, load_id, {s: report.count(s) for s in STATUSES})
    return report


def _ingest_windowed(engine: Engine, files: list[Path], readers: Readers, force: bool,
                     load_id: int, record: FileCallback) -> None:
    """Keep ``readers.in_flight`` files being read; save them in the order found, each
    as soon as it and every file before it are read. A file slower than the ones
    after it holds up their saving, not the reading: the readers stay busy while
    up to ``BACKLOG ×`` the window of read files (small: declarations, no bytes)
    wait for it."""
    pending: deque[tuple[Path, Any]] = deque()

    def finish() -> None:
        path, outcome = pending.popleft()
        if not isinstance(outcome, FileResult):
            outcome = _save(engine, path, readers.result(outcome, path), force, load_id)
        record(outcome)

    def save_ready() -> None:
        while pending and _ready(pending[0][1]):
            finish()

    for path in files:
        known = _precheck(engine, path, force)
        pending.append((path, known if known else readers.submit(path)))
        save_ready()
        while True:
            reading = [h for _, h in pending if not _ready(h)]
            if len(reading) < readers.in_flight:
                break
            readers.wait(reading)
            save_ready()
        if len(pending) > BACKLOG * readers.in_flight:
            finish()
    while pending:
        finish()


#: Read files kept waiting for a slower one before them, as a multiple of the window.
BACKLOG = 8


def _ready(handle: Any) -> bool:
    return isinstance(handle, FileResult | ReadOutcome) or handle.done()
