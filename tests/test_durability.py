"""What the database survives: kill -9 in the middle of an ingest, two ingests at once,
and users typing SQL. The ingests run the real ``jixiao`` command in subprocesses.

The forms: four samples, each in three rounds ``round0_…`` (the original bytes),
``round1_…`` and ``round2_…`` (a PDF comment ``% copy N`` appended). Every round has a new
sha256 but the same department and year, so in name order round 1 supersedes round 0 and
round 2 supersedes round 1: a complete ingest holds 12 documents and 4 chains of versions
1, 2, 3.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from jixiao import api
from jixiao.cli import main

ROOT = Path(__file__).resolve().parents[1]
#: Four born-digital samples (with an expected export beside them; scans would fail), so
#: the time of these tests does not grow with samples/.
SAMPLES = sorted(
    p for p in (ROOT / "samples").glob("*.pdf") if p.with_suffix(".expected.json").exists()
)[:4]
ROUNDS = 3
FILES = ROUNDS * len(SAMPLES)
#: Keys that may differ between two loads of the same files (none are exported today).
VOLATILE = {"load_id", "ingested_at", "superseded_at", "started_at", "finished_at"}


def jixiao_command() -> list[str]:
    script = Path(sys.executable).with_name("jixiao")
    return [str(script)] if script.exists() else [sys.executable, "-m", "jixiao.cli"]


@pytest.fixture(scope="module")
def forms(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("forms")
    for n in range(ROUNDS):
        for pdf in SAMPLES:
            data = pdf.read_bytes()
            if n:
                data += f"\n% copy {n}\n".encode()
            (folder / f"round{n}_{pdf.name}").write_bytes(data)
    return folder


def start(args: list[str], workdir: Path, name: str) -> subprocess.Popen:
    """``jixiao ARGS`` in the background; its output goes to files (never a full pipe)."""
    env = {k: v for k, v in os.environ.items() if k != "JIXIAO_DB"}
    return subprocess.Popen(
        [*jixiao_command(), *args],
        cwd=workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, to find what it leaves behind
        stdout=open(workdir / f"{name}.out", "wb"),  # noqa: SIM115 - closed with the process
        stderr=open(workdir / f"{name}.err", "wb"),  # noqa: SIM115
    )


def sigkill(proc: subprocess.Popen) -> None:
    """``kill -9`` the jixiao process itself (not its group), as a user or the OOM killer does."""
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def group_members(pgid: int) -> list[int]:
    """Live processes in process group ``pgid`` (Linux /proc)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def reap(proc: subprocess.Popen) -> None:
    """SIGKILL whatever is left of ``proc``'s process group (e.g. orphaned worker processes)."""
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=30)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def finish(proc: subprocess.Popen, workdir: Path, name: str, timeout: float = 120) -> str:
    """Wait for ``proc``; its stdout, after checking it exited 0."""
    proc.wait(timeout=timeout)
    proc.stdout and proc.stdout.close()
    out = (workdir / f"{name}.out").read_text(encoding="utf-8")
    err = (workdir / f"{name}.err").read_text(encoding="utf-8", errors="replace")
    assert proc.returncode == 0, f"jixiao exited {proc.returncode}:\n{err[-3000:]}"
    return out


def run(args: list[str], workdir: Path, name: str) -> str:
    proc = start(args, workdir, name)
    try:
        return finish(proc, workdir, name)
    finally:
        reap(proc)


def exported(db: str, workdir: Path, name: str) -> list[dict]:
    return strip_volatile(
        json.loads(run(["export", "--format", "json", "--db", db], workdir, name))
    )


def strip_volatile(value):
    if isinstance(value, dict):
        return {k: strip_volatile(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [strip_volatile(v) for v in value]
    return value


def rows(db: str, sql: str) -> list[tuple]:
    engine = create_engine(db)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def wait_for_documents(db: str, at_least: int, proc: subprocess.Popen, timeout: float = 90) -> int:
    """Poll the database until ``at_least`` documents are committed; the count seen."""
    sqlite_file = make_url(db).database if db.startswith("sqlite") else None
    engine = create_engine(db)
    deadline = time.monotonic() + timeout
    try:
        while True:
            assert proc.poll() is None, "jixiao finished before it could be killed"
            assert time.monotonic() < deadline, f"no {at_least} documents after {timeout} s"
            if sqlite_file is None or Path(sqlite_file).exists():
                try:
                    with engine.connect() as conn:
                        count = conn.execute(text("SELECT COUNT(*) FROM document")).scalar_one()
                    if count >= at_least:
                        return count
                except DBAPIError:  # schema not created yet, or the writer holds a lock
                    pass
            time.sleep(0.01)
    finally:
        engine.dispose()


def assert_consistent(db: str, documents: int | None = None) -> None:
    """Whatever happened, the database holds only whole declarations and whole chains:
    one declaration per document, one current version per (department, year), versions
    1..n without gaps or duplicates, each superseded version pointing at the next."""
    docs = rows(
        db,
        "SELECT d.id, d.sha256, COUNT(x.id) FROM document d "
        "LEFT JOIN declaration x ON x.document_id = d.id GROUP BY d.id, d.sha256",
    )
    assert all(n == 1 for _, _, n in docs), "a document without its declaration"
    assert len({sha for _, sha, _ in docs}) == len(docs)
    if documents is not None:
        assert len(docs) == documents
    empty = rows(
        db,
        "SELECT x.id FROM declaration x WHERE NOT EXISTS "
        "(SELECT 1 FROM indicator i WHERE i.declaration_id = x.id)",
    )
    assert empty == [], "a declaration without its rows"

    chains: dict[tuple, list] = defaultdict(list)
    for row in rows(
        db,
        "SELECT department, year, id, version, is_current, superseded_by "
        "FROM declaration ORDER BY version",
    ):
        chains[row[:2]].append(row[2:])
    for key, chain in chains.items():
        versions = [v for _, v, _, _ in chain]
        assert versions == list(range(1, len(chain) + 1)), (key, versions)
        assert [bool(c) for _, _, c, _ in chain] == [False] * (len(chain) - 1) + [True], key
        ids = [i for i, _, _, _ in chain]
        assert [s for _, _, _, s in chain] == ids[1:] + [None], (key, chain)


@pytest.fixture(scope="module")
def reference(forms, tmp_path_factory) -> list[dict]:
    """The export of one clean, uninterrupted ingest of the forms into a fresh database."""
    workdir = tmp_path_factory.mktemp("reference")
    db = f"sqlite:///{workdir / 'clean.db'}"
    run(["ingest", str(forms), "--db", db], workdir, "ingest")
    records = exported(db, workdir, "export")
    assert len(records) == len(SAMPLES)
    assert {(r["source"]["version"], r["source"]["file"][:7]) for r in records} == {(3, "round2_")}
    return records


# --- kill -9 ------------------------------------------------------------------------------


def test_kill_9_mid_ingest_then_rerun_equals_a_clean_run(db_url, forms, reference, tmp_path):
    """SIGKILL (twice: in the first round, then among the superseding rounds) leaves only
    whole declarations; re-running the same command ends exactly where a clean run does."""
    args = ["ingest", str(forms), "--db", db_url]
    for kill, at_least in enumerate((1, len(SAMPLES) + 2)):
        proc = start(args, tmp_path, f"killed{kill}")
        try:
            seen = wait_for_documents(db_url, at_least, proc)
            sigkill(proc)
        finally:
            reap(proc)
        assert seen < FILES
        assert_consistent(db_url)

    run(args, tmp_path, "rerun")
    assert_consistent(db_url, documents=FILES)
    assert exported(db_url, tmp_path, "export") == reference
    # The interrupted runs stay on record, unfinished; the last one finished with counts.
    runs = rows(db_url, "SELECT finished_at, counts FROM load_run ORDER BY id")
    assert [f is not None for f, _ in runs] == [False, False, True]
    counts = runs[-1][1] if isinstance(runs[-1][1], dict) else json.loads(runs[-1][1])
    assert counts["failed"] == 0 and sum(counts.values()) == FILES


def test_killed_ingest_leaves_no_processes_behind(sqlite_url, forms, tmp_path):
    proc = start(["ingest", str(forms), "--workers", "2", "--db", sqlite_url], tmp_path, "killed")
    try:
        wait_for_documents(sqlite_url, 1, proc)
        sigkill(proc)
        deadline = time.monotonic() + 3
        while group_members(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert group_members(proc.pid) == []
    finally:
        reap(proc)


# --- two ingests at once -------------------------------------------------------------------


def test_two_ingests_at_once_over_overlapping_files(db_url, forms, tmp_path):
    """Both processes open a new database and race over the same files and the same
    (department, year) chains, one forwards, one backwards; unique constraints and locks,
    not luck, keep every file once and every chain whole."""
    files = sorted(str(p) for p in forms.glob("*.pdf"))
    forwards = files
    backwards = [f for f in files if "round0_" not in f][::-1]
    procs = [
        start(["ingest", *forwards, "--db", db_url], tmp_path, "forwards"),
        start(["ingest", *backwards, "--db", db_url], tmp_path, "backwards"),
    ]
    try:
        for proc, name in zip(procs, ("forwards", "backwards"), strict=True):
            finish(proc, tmp_path, name)
    finally:
        for proc in procs:
            reap(proc)

    assert_consistent(db_url, documents=FILES)
    assert len(rows(db_url, "SELECT 1 FROM declaration WHERE is_current")) == len(SAMPLES)
    totals: dict[str, int] = defaultdict(int)
    for (counts,) in rows(db_url, "SELECT counts FROM load_run"):
        for status, n in (counts if isinstance(counts, dict) else json.loads(counts)).items():
            totals[status] += n
    assert totals["loaded"] + totals["superseded"] == FILES
    assert totals["skipped"] == len(forwards) + len(backwards) - FILES
    assert totals["failed"] == 0


def test_finishing_a_run_while_another_process_writes(sqlite_url):
    """SQLite: finish_load_run reads the run, then updates it. Begun deferred, that update
    failed at once with "database is locked" (no busy wait) whenever another ingest had
    committed since the read; seen with two ingests at once. Now it begins IMMEDIATE."""
    from sqlalchemy import event

    from load import store

    engine = store.open_database(sqlite_url)
    other = create_engine(sqlite_url, connect_args={"timeout": 0.2})
    try:
        load_id = store.start_load_run(engine, {})
        interfered = []

        @event.listens_for(engine, "before_cursor_execute")
        def another_process_commits(conn, cursor, statement, *args) -> None:
            if statement.lstrip().upper().startswith("UPDATE LOAD_RUN") and not interfered:
                interfered.append(statement)
                try:  # with the write lock already held this waits 0.2 s and gives up
                    with other.begin() as c:
                        c.execute(text("INSERT INTO load_run (started_at) VALUES ('2020-01-01')"))
                except DBAPIError:
                    pass

        store.finish_load_run(engine, load_id, {"loaded": 1})
        assert interfered
        ((counts,),) = rows(sqlite_url, "SELECT counts FROM load_run ORDER BY id LIMIT 1")
        assert json.loads(counts) == {"loaded": 1}
    finally:
        other.dispose()
        engine.dispose()


# --- load ids ------------------------------------------------------------------------------


def test_every_row_knows_its_load(db_url, forms):
    """Each ingest is a load_run (start, end, options, counts); every document and
    declaration names the run that wrote it, and form rows belong to their declaration."""
    first = [forms / f"round0_{p.name}" for p in SAMPLES[:2]]
    second = first + [forms / f"round1_{p.name}" for p in SAMPLES[:2]]
    api.ingest(first, db=db_url)
    api.ingest(second, db=db_url)

    runs = rows(
        db_url, "SELECT id, started_at, finished_at, options, counts FROM load_run ORDER BY id"
    )
    assert len(runs) == 2
    as_dict = [c if isinstance(c, dict) else json.loads(c) for *_, c in runs]
    assert [(c["loaded"], c["superseded"], c["skipped"]) for c in as_dict] == [(2, 0, 0), (0, 2, 2)]
    for _, started, finished, options, _ in runs:
        assert started is not None and finished is not None and str(started) <= str(finished)
        assert "force" in (options if isinstance(options, dict) else json.loads(options))
    (run1, *_), (run2, *_) = runs

    docs = rows(
        db_url,
        "SELECT d.file_name, d.load_id, x.load_id FROM document d "
        "JOIN declaration x ON x.document_id = d.id ORDER BY d.file_name",
    )
    assert [(name[:7], doc_load, decl_load) for name, doc_load, decl_load in docs] == [
        ("round0_", run1, run1)
    ] * 2 + [("round1_", run2, run2)] * 2
    for child in (
        "prior_year_result",
        "work_task",
        "budget_line",
        "indicator",
        "provenance",
        "issue",
    ):
        orphans = rows(
            db_url,
            f"SELECT COUNT(*) FROM {child} c JOIN declaration x "
            "ON x.id = c.declaration_id WHERE x.load_id IS NULL",
        )
        assert orphans == [(0,)], child


# --- SQL from users ------------------------------------------------------------------------


def test_query_command_refuses_writes(sqlite_url, forms):
    api.ingest([forms / f"round0_{SAMPLES[0].name}"], db=sqlite_url)
    runner = CliRunner()
    for sql, kind in (
        ("DELETE FROM document", "DELETE"),
        ("UPDATE declaration SET is_current = 0", "UPDATE"),
        ("DROP TABLE declaration", "DROP"),
        ("SELECT 1; DELETE FROM document", "2 statements"),
        ("WITH x AS (DELETE FROM document RETURNING id) SELECT * FROM x", "DELETE"),
    ):
        result = runner.invoke(main, ["query", sql, "--db", sqlite_url])
        assert result.exit_code == 1, (sql, result.output)
        assert "refusing" in result.output and kind in result.output, result.output
    assert rows(sqlite_url, "SELECT COUNT(*) FROM declaration WHERE is_current") == [(1,)]


def test_filters_are_bound_parameters(sqlite_url, forms):
    """A department name is data, never SQL: quotes in it match nothing and break nothing."""
    api.ingest([forms / f"round0_{SAMPLES[0].name}"], db=sqlite_url)
    (record,) = api.export(db=sqlite_url)
    runner = CliRunner()
    for hostile in ("x' OR '1'='1", "x'; DROP TABLE document; --", '" OR 1=1 --'):
        result = runner.invoke(main, ["export", "--db", sqlite_url, "--department", hostile])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == []
    result = runner.invoke(
        main, ["export", "--db", sqlite_url, "--department", record["department"]]
    )
    assert [r["department"] for r in json.loads(result.stdout)] == [record["department"]]


_SQL_CALL = re.compile(r"""(?:text|exec_driver_sql|execute)\(\s*f(["']{1,3})(.*?)\1""", re.S)


def test_no_sql_built_from_values_in_load():
    """SQL in load/ interpolates only constants (UPPER_CASE names); values are bound."""
    offenders = []
    for path in sorted((ROOT / "load").rglob("*.py")):
        for match in _SQL_CALL.finditer(path.read_text(encoding="utf-8")):
            names = re.findall(r"\{([^}]*)\}", match.group(2))
            if any(not re.fullmatch(r"[A-Z][A-Z0-9_]*", n) for n in names):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)[:80]}")
    assert offenders == []
