"""Ingest on a Dask cluster: a LocalCluster of two worker processes, and a scheduler
and workers started with the venv's own ``dask`` command, as a bureau starts them.

The folder: a scan (read first, so a worker is killed in the middle of it) and two
born-digital samples in two rounds each (round 1 is round 0's bytes with a PDF
comment appended: a new file of the same declaration, which supersedes round 0).
Every cluster run must leave the database a plain local run leaves: the same
export, the same chains of versions, no document twice.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from jixiao import api, cluster
from jixiao.cli import main

pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
SCAN = ROOT / "samples" / "scans" / "changzhou_eco_2024_200dpi.pdf"
SAMPLES = [ROOT / "samples" / "changzhou_eco_2024.pdf", ROOT / "samples" / "huaian_civil_2025.pdf"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cluster_forms")
    (out / f"0_scan_{SCAN.name}").write_bytes(SCAN.read_bytes())
    for n in range(2):
        for pdf in SAMPLES:
            data = pdf.read_bytes() + (f"\n% copy {n}\n".encode() if n else b"")
            (out / f"round{n}_{pdf.name}").write_bytes(data)
    return out


def state(db: str) -> tuple[list[dict], list[tuple]]:
    """The export and every document's place in its chain of versions."""
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            chains = [tuple(r) for r in conn.execute(text(
                "SELECT d.file_name, x.department, x.year, x.version, x.is_current "
                "FROM document d JOIN declaration x ON x.document_id = d.id "
                "ORDER BY d.file_name"))]
    finally:
        engine.dispose()
    return api.export(db, "json"), chains


@pytest.fixture(scope="module")
def local_run(folder, tmp_path_factory) -> tuple[list[dict], list[tuple]]:
    db = f"sqlite:///{tmp_path_factory.mktemp('local') / 'local.db'}"
    report = api.ingest([folder], db=db, workers=1)
    assert not report.failed, report.failed
    return state(db)


@pytest.fixture(scope="module")
def local_cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as made:
        yield made


def kill_first_busy_worker(address: str, after: float = 1.0) -> dict:
    """In the background: once a worker has been reading a file for ``after``
    seconds, SIGKILL its process (its nanny starts another). Returns what it did."""
    from distributed import Client

    done: dict = {}

    def watch() -> None:
        with Client(address, set_as_default=False) as client:
            pids = client.run(os.getpid)
            seen: dict[str, float] = {}
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                for worker, tasks in client.processing().items():
                    if not tasks:
                        seen.pop(worker, None)
                    elif time.monotonic() - seen.setdefault(worker, time.monotonic()) > after:
                        done.update(worker=worker, task=tasks[0])
                        os.kill(pids[worker], signal.SIGKILL)
                        return
                time.sleep(0.05)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    done["thread"] = thread
    return done


def cluster_run(db: str, folder: Path, address: str) -> tuple[dict, list[str]]:
    events: list[str] = []
    killed = kill_first_busy_worker(address)
    report = api.ingest([folder], db=db, cluster=address, on_event=events.append)
    killed["thread"].join(timeout=5)
    assert not report.failed, report.failed
    assert [r.path for r in report.results] == sorted(str(p) for p in folder.glob("*.pdf"))
    return killed, events


def assert_same_as_local(db: str, local_run, folder: Path) -> None:
    exported, chains = state(db)
    local_exported, local_chains = local_run
    assert exported == local_exported
    assert chains == local_chains
    assert len(chains) == len(list(folder.glob("*.pdf")))  # nothing stored twice
    assert sum(1 for c in chains if c[-1]) == 2  # a chain for each department


def test_a_local_cluster_with_a_worker_killed_loads_what_a_local_run_loads(
        folder, local_run, local_cluster, sqlite_url):
    killed, events = cluster_run(sqlite_url, folder, local_cluster.scheduler_address)
    assert killed.get("task", "").startswith("jixiao-read-"), "no worker was killed mid-file"
    assert any(f"worker {killed['worker']} lost" in e for e in events), events
    assert_same_as_local(sqlite_url, local_run, folder)
    # the same command again reads nothing: every file is known by its sha256
    again = api.ingest([folder], db=sqlite_url, cluster=local_cluster.scheduler_address)
    assert {r.status for r in again.results} == {"skipped"}


def dask_command(*args: str, log: Path) -> subprocess.Popen:
    command = Path(sys.executable).with_name("dask")
    return subprocess.Popen([str(command), *args], stdout=open(log, "wb"),  # noqa: SIM115
                            stderr=subprocess.STDOUT, start_new_session=True)


def stop(*procs: subprocess.Popen) -> None:
    for proc in procs:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)


def scheduler(tmp_path: Path, workers: int,
              *extra: str) -> tuple[str, list[subprocess.Popen]]:
    """``dask scheduler`` and ``workers`` × ``dask worker`` (one thread each), started
    as their README commands say; the scheduler's address."""
    from distributed import Client

    tmp_path = Path(tempfile.mkdtemp(dir=tmp_path))  # a scheduler file of its own
    spec = tmp_path / "scheduler.json"
    procs = [dask_command("scheduler", "--port", "0", "--no-dashboard", "--scheduler-file",
                          str(spec), log=tmp_path / "scheduler.log")]
    for n in range(workers):
        procs.append(dask_command("worker", "--scheduler-file", str(spec), "--nthreads", "1",
                                  "--no-dashboard", "--name", f"w{n}", *extra,
                                  log=tmp_path / f"worker{n}.log"))
    try:
        deadline = time.monotonic() + 60
        while not spec.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        with Client(scheduler_file=str(spec), timeout=30, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=60)
            return client.scheduler.address, procs
    except BaseException:  # a worker left without its scheduler would retry forever
        stop(*procs)
        raise


@pytest.mark.postgres
def test_dask_command_workers_into_postgresql_with_a_worker_killed(
        folder, local_run, pg_url, tmp_path):
    address, procs = scheduler(tmp_path, workers=2)
    try:
        killed, events = cluster_run(pg_url, folder, address)
    finally:
        stop(*procs)
    assert killed.get("task", "").startswith("jixiao-read-"), "no worker was killed mid-file"
    assert any(f"worker {killed['worker']} lost" in e for e in events), events
    assert_same_as_local(pg_url, local_run, folder)


def test_a_lost_scheduler_stops_the_run_whole_and_the_same_command_finishes_it(
        sqlite_url, tmp_path):
    folder = tmp_path / "forms"
    folder.mkdir()
    for n, pdf in enumerate([*SAMPLES, *SAMPLES]):  # the second two supersede the first
        (folder / f"{n}_{pdf.name}").write_bytes(pdf.read_bytes() + f"% {n}".encode())
    local_db = f"sqlite:///{tmp_path / 'local.db'}"
    api.ingest([folder], db=local_db)
    address, procs = scheduler(tmp_path, workers=1)
    saved: list[str] = []

    def on_file(result) -> None:  # the scheduler dies once the first file is saved
        saved.append(result.path)
        if len(saved) == 1:
            stop(procs[0])

    try:
        with pytest.raises(cluster.ClusterError, match=f"lost the Dask scheduler at {address}"):
            api.ingest([folder], db=sqlite_url, cluster=address, on_file=on_file)
    finally:
        stop(*procs)
    _, chains = state(sqlite_url)
    assert [c[0] for c in chains] == [Path(saved[0]).name]  # what was saved is whole
    address, procs = scheduler(tmp_path, workers=1)
    try:
        again = api.ingest([folder], db=sqlite_url, cluster=address)
    finally:
        stop(*procs)
    assert [r.status for r in again.results] == ["skipped", "loaded", "superseded", "superseded"]
    assert state(sqlite_url) == state(local_db)


def test_a_file_that_fails_on_its_worker_fails_alone(sqlite_url, tmp_path):
    """A worker whose disk refuses the file (its temporary folder gone) fails that
    file with the worker's reason; the scheduler is not taken for lost, and the
    batch goes on."""
    preload = tmp_path / "no_temp_folder.py"  # a folder no one can make (Dask's own
    preload.write_text("import tempfile\ntempfile.tempdir = '/dev/null/jixiao'\n")  # is set)
    address, procs = scheduler(tmp_path, 1, "--preload", str(preload),
                               "--local-directory", str(tmp_path / "dask"))
    try:
        report = api.ingest(SAMPLES, db=sqlite_url, cluster=address)
    finally:
        stop(*procs)
    assert [r.status for r in report.results] == ["failed", "failed"]
    assert all(r.reason.startswith("worker error: NotADirectoryError") for r in report.results)


def test_a_worker_that_reads_differently_is_refused(local_cluster, sqlite_url, tmp_path):
    """A worker whose extractor differs (as after an upgrade on one machine) joins the
    cluster; it is named and refused, and the files are read by the others."""
    preload = tmp_path / "older_extractor.py"
    preload.write_text("import extract.pdf\nextract.pdf.EXTRACTOR_VERSION = '0-older'\n")
    before = set(local_cluster.scheduler_info["workers"])
    older = dask_command("worker", local_cluster.scheduler_address, "--nthreads", "1",
                         "--no-dashboard", "--no-nanny", "--preload", str(preload),
                         log=tmp_path / "older.log")
    try:
        deadline = time.monotonic() + 60
        while len(local_cluster.scheduler_info["workers"]) <= len(before):
            assert time.monotonic() < deadline, (tmp_path / "older.log").read_text()
            time.sleep(0.2)
        events: list[str] = []
        report = api.ingest(SAMPLES, db=sqlite_url, cluster=local_cluster.scheduler_address,
                            on_event=events.append)
    finally:
        stop(older)
    refused = [e for e in events if "refused" in e]
    assert refused and "extractor 0-older (here " in refused[0], events
    assert [r.status for r in report.results] == ["loaded", "loaded"]


def test_cli_local_cluster_and_its_one_line_errors(tmp_path, monkeypatch):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", *map(str, SAMPLES), "--db", db,
                                  "--cluster", "local:2"])
    assert result.exit_code == 0, result.output
    assert "2 files: 2 loaded" in result.output
    assert len(api.export(db, "json")) == 2

    monkeypatch.setattr(cluster, "CONNECT_SECONDS", 1)
    gone = runner.invoke(main, ["ingest", str(SAMPLES[0]), "--db", db,
                                "--cluster", "tcp://127.0.0.1:9"])
    assert gone.exit_code == 1
    assert gone.output.startswith("Error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert len(gone.output.strip().splitlines()) == 1

    both = runner.invoke(main, ["ingest", str(SAMPLES[0]), "--workers", "2",
                                "--cluster", "local"])
    assert both.exit_code == 2 and "choose one" in both.output
    bad = runner.invoke(main, ["ingest", str(SAMPLES[0]), "--db", db, "--cluster", "local:x"])
    assert bad.exit_code == 1 and "local:N needs a number" in bad.output
    for address in ("foo", "tcp://host"):
        bad = runner.invoke(main, ["ingest", str(SAMPLES[0]), "--db", db, "--cluster", address])
        assert bad.exit_code == 1 and "not a scheduler's address" in bad.output


def test_slowness_weighs_a_worker_against_the_others_pages_of_the_same_kind():
    """A worker given scans is not slow for taking 25 times a text page's time; a
    worker taking 2.5 times the others' time on text pages is."""
    scans = [("scan", 2, 10.0)] * 3
    text_pages = [("text", 2, 0.4)] * 3
    found = cluster.slowness({"a": scans, "b": text_pages, "c": [("text", 2, 1.0)] * 3,
                              "d": text_pages, "e": text_pages[:1]})
    assert found["a"] == pytest.approx(1.0) and found["b"] == pytest.approx(1.0)
    assert found["c"] == pytest.approx(2.5) and "e" not in found  # e has read too little
    assert cluster.slowness({"a": scans}) == {}  # nobody to compare with
