"""Shared fixtures. Database fixtures:

* ``sqlite_url``: a fresh SQLite database file under ``tmp_path``;
* ``pg_url``: the local PostgreSQL server (database ``test``), isolated in a schema of its
  own that is created for the test and dropped (CASCADE) afterwards. When the server is
  unreachable the test is skipped — or failed when ``CI=true``. Override the server with
  ``JIXIAO_TEST_PG_URL`` (a SQLAlchemy URL, e.g. postgresql+psycopg://me@db:5432/test).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_CANDIDATES = (
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "postgresql+psycopg://root@127.0.0.1:5432/test",
)

_pg_base: str | None = None
_pg_error: str | None = None


def _reachable_pg() -> str:
    """The first candidate URL that connects (cached for the session), else skip/fail."""
    global _pg_base, _pg_error
    if _pg_base is None and _pg_error is None:
        import psycopg
        from sqlalchemy.engine import make_url

        env = os.environ.get("JIXIAO_TEST_PG_URL")
        errors = []
        for candidate in (env,) if env else PG_CANDIDATES:
            url = make_url(candidate)
            try:
                with psycopg.connect(
                    host=url.host,
                    port=url.port or 5432,
                    user=url.username,
                    password=url.password,
                    dbname=url.database,
                    connect_timeout=3,
                ):
                    _pg_base = candidate
                    break
            except psycopg.Error as exc:
                errors.append(f"{url.username}: {str(exc).strip().splitlines()[0]}")
        if _pg_base is None:
            _pg_error = "; ".join(errors)
    if _pg_base is None:
        from sqlalchemy.engine import make_url

        url = make_url(os.environ.get("JIXIAO_TEST_PG_URL") or PG_CANDIDATES[0])
        message = f"PostgreSQL not reachable at {url.host}:{url.port or 5432}: {_pg_error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return _pg_base


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """URL of a new, empty SQLite database file."""
    return f"sqlite:///{tmp_path / 'jixiao.db'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """URL of the local PostgreSQL database with ``search_path`` set to a fresh schema."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = _reachable_pg()
    url = make_url(base)
    schema = f"jixiao_test_{uuid.uuid4().hex[:12]}"
    params = dict(
        host=url.host,
        port=url.port or 5432,
        user=url.username,
        password=url.password,
        dbname=url.database,
        connect_timeout=3,
        autocommit=True,
    )
    with psycopg.connect(**params) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    finally:
        with psycopg.connect(**params) as conn:
            conn.execute("SET lock_timeout = '10s'")
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request) -> str:
    """Each test using it runs twice: on SQLite and on PostgreSQL."""
    name = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return request.getfixturevalue(name)


@pytest.fixture
def engine(db_url):
    """An engine from ``load.store.open_database`` (schema created), disposed afterwards."""
    from load.store import open_database

    engine = open_database(db_url)
    yield engine
    engine.dispose()


SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture
def mixed_document(tmp_path) -> tuple[Path, Path]:
    """yancheng_hpf_2021 with pages 1-2 born-digital and 3-4 from its 300 dpi scan
    (the budget and the indicators are on the scanned pages); also the original."""
    import pypdfium2 as pdfium

    original = SAMPLES / "yancheng_hpf_2021.pdf"
    scan = SAMPLES / "scans" / "yancheng_hpf_2021_300dpi.pdf"
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(str(original)), [0, 1])
    mixed.import_pages(pdfium.PdfDocument(str(scan)), [2, 3])
    path = tmp_path / "yancheng_mixed.pdf"
    mixed.save(str(path))
    return path, original
