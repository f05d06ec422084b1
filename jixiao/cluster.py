"""Reading on a Dask cluster (``jixiao ingest --cluster ADDRESS``).

Each file travels to a worker as its bytes, with the extract settings; the worker
reads it as ``pipeline.read_file`` does (extract, then normalize) and sends back
the declarations. Workers need neither the folder nor the database. The database
is written by the submitting process, by the same window and rules as a local run
(``pipeline._ingest_windowed``): saved in the order the files were found, one
transaction per file, so a run's result does not depend on which worker finished
first, and a file read twice (its worker died after reading it) is saved once.
One writer is not the limit: the README measures it.

Faults: a worker that dies mid-file has the file re-run elsewhere by the scheduler
(three deaths on one file fail that file); a lost scheduler stops the run with one
line naming its address, every file saved so far whole; a worker whose readings
would differ from this machine's (another jixiao, extractor, code or OCR precision)
is refused, and a file it was given goes elsewhere.

Dask is imported only here and only when a cluster is asked for.
"""

from __future__ import annotations

import hashlib
import logging
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import CancelledError
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from extract import ocr
from extract import pdf as extract_pdf
from extract.model import ExtractSettings
from jixiao.pipeline import ReadOutcome, read_file

log = logging.getLogger(__name__)
#: How long to wait for the scheduler to answer, and for a first worker to join.
CONNECT_SECONDS = 10
WORKERS_SECONDS = 60
#: How often the submitter looks at the cluster's workers while it waits for a file.
POLL_SECONDS = 2.0
#: A file handed to a refused worker is handed out again at most this often.
RESUBMITS = 3
#: A worker is slow when its files took this many times what the others' files of the
#: same kind (scanned or text) took per page, over at least SLOW_AFTER files after its
#: first (which pays for loading the readers).
SLOW_FACTOR = 2.0
SLOW_AFTER = 3


class ClusterError(RuntimeError):
    """The cluster cannot be used: one line naming the scheduler and the problem."""


class VersionMismatch(RuntimeError):
    """A worker whose readings would differ from the submitter's (raised there,
    re-raised here: its arguments are what travels)."""

    def __init__(self, worker: str, why: str) -> None:
        super().__init__(worker, why)
        self.worker, self.why = worker, why

    def __str__(self) -> str:
        return f"worker {self.worker} refused: it reads with {self.why}"


@dataclass(frozen=True)
class Versions:
    """What a reading depends on besides the file and the settings: the released
    version, the extractor's version, the code itself (a patched checkout reads
    differently under the same numbers) and the precision the OCR computes in."""

    jixiao: str
    extractor: str
    code: str
    ocr: str

    def differs(self, theirs: Versions) -> str:
        """Why ``theirs`` would read differently from these versions ("" when not)."""
        return ", ".join(f"{f.name} {getattr(theirs, f.name)} (here {getattr(self, f.name)})"
                         for f in fields(self) if getattr(theirs, f.name) != getattr(self, f.name))


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of the reading code (extract, normalize, jixiao): two installs that
    would read a file differently differ here even under one version number."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for package in ("extract", "normalize", "jixiao"):
        for path in sorted((root / package).rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@lru_cache(maxsize=1)
def _release() -> str:
    try:
        return metadata.version("jixiao")
    except metadata.PackageNotFoundError:
        return "unknown"


def versions(settings: ExtractSettings) -> Versions:
    """This process's versions (loads the recogniser to learn its precision; asked
    again for every file a worker reads, so each part is looked up once)."""
    release = _release()
    try:
        precision = ocr.recognizer(settings.ocr).label
    except ocr.OCRUnavailable as exc:
        precision = f"none ({exc})"
    return Versions(release, extract_pdf.EXTRACTOR_VERSION, code_fingerprint(), precision)


def _worker_settings(settings: ExtractSettings, worker: Any) -> ExtractSettings:
    """``settings`` as ``worker`` reads with them: its recogniser uses the threads the
    worker was given, not every core of its machine."""
    threads = getattr(getattr(worker, "state", worker), "nthreads", 1)
    if not settings.ocr.threads:
        settings = replace(settings, ocr=replace(settings.ocr, threads=threads))
    return settings


def worker_versions(settings: ExtractSettings, dask_worker: Any = None) -> Versions:
    """A worker's versions (``Client.run`` passes ``dask_worker``), its recogniser
    loaded as its files will use it."""
    return versions(_worker_settings(settings, dask_worker))


def read_remote(name: str, data: bytes, settings: ExtractSettings,
                expected: Versions) -> ReadOutcome:
    """A worker's task: read one file sent as ``data`` under its own ``name``."""
    from distributed import get_worker

    worker = get_worker()
    settings = _worker_settings(settings, worker)
    why = expected.differs(versions(settings))
    if why:
        raise VersionMismatch(worker.address, why)
    with tempfile.TemporaryDirectory(prefix="jixiao-") as folder:
        path = Path(folder) / Path(name).name  # the name is what a declaration records
        path.write_bytes(data)
        outcome = read_file(str(path), settings)
    return replace(outcome, reason=outcome.reason.replace(str(path), name), worker=worker.address)


def _scheduler_address(address: str) -> tuple[str, int | None]:
    """("local", N) for ``local``/``local:N``, else the address as given."""
    if address == "local" or address.startswith("local:"):
        count = address.partition(":")[2]
        if count and not (count.isdigit() and int(count) > 0):
            raise ClusterError(f"--cluster {address}: local:N needs a number of workers N >= 1")
        from jixiao.pipeline import default_workers

        return "local", int(count) if count else default_workers()
    from distributed.comm import parse_address

    scheme, location = parse_address(address)  # "tcp" when none is given
    host, _, port = location.rpartition(":")
    if not (host and port.isdigit()):  # caught here: a Client made of it hangs on exit
        raise ClusterError(f"--cluster {address}: not a scheduler's address "
                           "(tcp://host:8786), nor local or local:N")
    return address, None


class ClusterReaders:
    """The ``pipeline.Readers`` of a Dask cluster: hands files to its workers and
    takes their readings back, watching the workers as it waits."""

    def __init__(self, address: str, settings: ExtractSettings,
                 on_event: Callable[[str], None] | None = None) -> None:
        from distributed import Client, LocalCluster

        self.settings = settings
        self._say = on_event or log.warning
        self._cluster: Any = None
        target, local_workers = _scheduler_address(address)
        if local_workers is not None:
            # one thread a worker: the recogniser computes a crop at a time, and a
            # process per core is what a 1.8x scaling needs
            self._cluster = LocalCluster(n_workers=local_workers, threads_per_worker=1,
                                         processes=True, dashboard_address=":0",
                                         silence_logs=logging.ERROR)
            target = self._cluster.scheduler_address
        self.address = target
        # the client's log lines follow Dask's own level (which `jixiao -v` sets): its
        # defaults would print reconnection errors beside the one line said here
        logging.getLogger("distributed.client").setLevel(logging.getLogger("distributed").level)
        try:
            self.client = Client(target, timeout=CONNECT_SECONDS, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            self._close_cluster()
            raise ClusterError(f"cannot reach the Dask scheduler at {target}: "
                               f"{_one_line(exc)}") from exc
        try:
            self.mine = versions(settings)
            self._threads: dict[str, int] = {}
            self.refused: set[str] = set()
            self._stats: dict[str, list[tuple[str, int, float]]] = {}
            self._slow: set[str] = set()
            self._warm: set[str] = set()
            self._polled = 0.0
            self._wait_for_workers()
        except BaseException:
            self.close()
            raise

    # --- workers ------------------------------------------------------------------

    def _wait_for_workers(self) -> None:
        try:
            self.client.wait_for_workers(1, timeout=WORKERS_SECONDS)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"no worker joined the Dask scheduler at {self.address} "
                               f"within {WORKERS_SECONDS} s") from exc
        self._poll(force=True)
        if not self._threads:
            raise ClusterError(f"no worker at {self.address} reads as this machine does "
                               f"(jixiao {self.mine.jixiao}, extractor {self.mine.extractor}, "
                               f"code {self.mine.code}, OCR {self.mine.ocr}); see the lines above")

    def _poll(self, force: bool = False) -> None:
        """Learn which workers joined (checking their versions) and which were lost."""
        now = time.monotonic()
        if not force and now - self._polled < POLL_SECONDS:
            return
        self._polled = now
        try:
            present = dict(self.client.nthreads())
        except (OSError, CancelledError) as exc:
            raise self._lost(exc) from exc
        for address in sorted(set(self._threads) - set(present)):
            self._say(f"worker {address} lost: its files are read by the others")
            del self._threads[address]
        new = sorted(set(present) - set(self._threads) - self.refused)
        if not new:
            return
        try:
            found = self.client.run(worker_versions, self.settings, workers=new,
                                    on_error="return")
        except (OSError, CancelledError) as exc:
            raise self._lost(exc) from exc
        for address in new:
            theirs = found.get(address)
            if isinstance(theirs, BaseException):  # it cannot even load the reading code
                self.refused.add(address)
                self._say(f"worker {address} refused: it cannot tell its versions "
                          f"({type(theirs).__name__}: {_one_line(theirs)})")
                continue
            if not isinstance(theirs, Versions):  # it left meanwhile
                continue
            why = self.mine.differs(theirs)
            if why:
                self.refused.add(address)
                self._say(str(VersionMismatch(address, why)))
            else:
                self._threads[address] = present[address]
                if not force:
                    n = present[address]
                    self._say(f"worker {address} joined ({n} thread{'s' if n != 1 else ''})")

    def _lost(self, exc: BaseException) -> ClusterError:
        why = "connection lost" if isinstance(exc, CancelledError) else _one_line(exc)
        return ClusterError(f"lost the Dask scheduler at {self.address} ({why}): the files "
                            "saved so far are whole; run the command again to finish")

    @property
    def in_flight(self) -> int:  # one waiting on the scheduler for each thread
        return 2 * max(1, sum(self._threads.values()))

    # --- files --------------------------------------------------------------------

    def submit(self, path: Path) -> Any:
        self._poll()
        try:
            data = path.read_bytes()
        except OSError as exc:  # gone or unreadable since it was found: that file fails
            return ReadOutcome.failed(f"cannot read file ({exc.strerror or exc})")
        return self.client.submit(read_remote, path.name, data, self.settings, self.mine,
                                  key=f"jixiao-read-{uuid.uuid4().hex}", pure=False,
                                  workers=sorted(self._threads) or None,
                                  allow_other_workers=True)

    def result(self, handle: Any, path: Path) -> ReadOutcome:
        from distributed.scheduler import KilledWorker

        if isinstance(handle, ReadOutcome):  # it never left (see submit)
            return handle
        for _attempt in range(RESUBMITS + 1):
            while True:
                try:
                    outcome = handle.result(timeout=POLL_SECONDS)
                    break
                except TimeoutError:
                    self._poll()
                except VersionMismatch as exc:  # a worker that joined between two looks
                    if exc.worker not in self.refused:
                        self.refused.add(exc.worker)
                        self._threads.pop(exc.worker, None)
                        self._say(str(exc))
                    handle = self.submit(path)
                    if isinstance(handle, ReadOutcome):
                        return handle
                    outcome = None
                    break
                except KilledWorker as exc:
                    return ReadOutcome.failed("every worker that read it died (out of "
                                              f"memory?): {_one_line(exc)}")
                except CancelledError as exc:  # how a lost scheduler ends each future
                    raise self._lost(exc) from exc
                except Exception as exc:  # the task failed there (its disk full, say)
                    if isinstance(exc, OSError) and self.client.status != "running":
                        raise self._lost(exc) from exc
                    return ReadOutcome.failed(f"worker error: {type(exc).__name__}: "
                                              f"{_one_line(exc)}")
            if outcome is not None:
                self._watch(outcome)
                return outcome
        return ReadOutcome.failed(f"refused by {RESUBMITS + 1} workers in turn (versions differ)")

    def wait(self, handles: list[Any]) -> None:
        from distributed import wait

        while True:
            try:
                with self.client.as_current():  # not made the default: another may be
                    wait(handles, timeout=POLL_SECONDS, return_when="FIRST_COMPLETED")
                return
            except TimeoutError:
                self._poll()
            except (CancelledError, OSError) as exc:  # the scheduler lost while waiting
                raise self._lost(exc) from exc

    def _watch(self, outcome: ReadOutcome) -> None:
        """Name a worker once when its files take far longer per page than the
        others' files of the same kind; a worker's first file (which pays for
        loading the readers) is not counted."""
        if not outcome.worker or not outcome.pages:
            return
        if outcome.worker not in self._warm:
            self._warm.add(outcome.worker)
            return
        kind = "scan" if "scan" in outcome.page_kinds else "text"
        self._stats.setdefault(outcome.worker, []).append((kind, outcome.pages, outcome.seconds))
        for worker, ratio in slowness(self._stats).items():
            if worker not in self._slow and ratio >= SLOW_FACTOR:
                self._slow.add(worker)
                self._say(f"worker {worker} is slow: {ratio:.1f}x the others' time per page")

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            try:
                client.close(timeout=CONNECT_SECONDS)
            except (OSError, TimeoutError, CancelledError):
                pass  # the scheduler is gone already
        self._close_cluster()

    def _close_cluster(self) -> None:
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


Done = list[tuple[str, int, float]]  # a worker's files: (kind, pages, seconds)


def slowness(stats: dict[str, Done]) -> dict[str, float]:
    """Each worker's time over what its files would have taken at the typical
    (median) time per page of their kind, once it and another worker have read
    ``SLOW_AFTER`` files each: 1.0 is typical, 2.0 twice as slow."""
    per_page: dict[str, list[float]] = {}
    for done in stats.values():
        for kind, pages, seconds in done:
            per_page.setdefault(kind, []).append(seconds / pages)
    typical = {kind: statistics.median(v) for kind, v in per_page.items()}
    ready = [w for w, done in stats.items() if len(done) >= SLOW_AFTER]
    if len(ready) < 2:
        return {}
    return {w: sum(s for _, _, s in stats[w])
            / max(1e-9, sum(p * typical[k] for k, p, _ in stats[w])) for w in ready}


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
