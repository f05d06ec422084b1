"""Schema revisions (load/schema.py, load/migrations/): every database knows its revision,
is brought up to head when opened, and a database from a newer jixiao is refused."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from test_load import make_declaration

from load import models as m
from load import query, schema, store
from load.errors import DatabaseNewerError


def revision_of(engine) -> str | None:
    with engine.connect() as conn:
        return schema.current_revision(conn)


def test_fresh_database_is_at_head(engine):
    assert revision_of(engine) == schema.head_revision() == schema.known_revisions()[-1]
    tables = set(inspect(engine).get_table_names())
    assert {t.name for t in m.Base.metadata.sorted_tables} | {"alembic_version"} == tables
    assert m.SUMMARY_VIEW in inspect(engine).get_view_names()
    indexes = {i["name"]: i for i in inspect(engine).get_indexes("declaration")}
    assert indexes["uq_declaration_current"]["unique"]
    # The view the revisions made answers like the one load/models.py describes.
    view = query.run_sql(engine, f"SELECT * FROM {m.SUMMARY_VIEW}")
    assert list(view.columns) == list(query.run_sql(engine, m.SUMMARY_VIEW_SELECT).columns)


def test_models_and_migrations_agree(engine):
    """A change to load/models.py needs a revision: `python -m load.migrations revision "…"`."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, m.Base.metadata)
    assert diff == []


def test_one_current_version_is_enforced_by_the_database(engine):
    store.save(engine, make_declaration("a.pdf"))
    store.save(engine, make_declaration("b.pdf", salary="1"))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text("UPDATE declaration SET is_current = :t"), {"t": True})


def test_newer_database_is_refused(db_url):
    engine = store.open_database(db_url)
    try:
        store.save(engine, make_declaration())
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = 'f00dcafe0042'"))
    finally:
        engine.dispose()

    label = make_url(db_url).render_as_string(hide_password=True)
    head = schema.head_revision()
    with pytest.raises(DatabaseNewerError) as caught:
        store.open_database(db_url)
    assert str(caught.value) == (
        f"{label} has schema revision f00dcafe0042, newer than this jixiao (head {head}): "
        "upgrade jixiao"
    )
    # Refused without touching anything.
    raw = create_engine(db_url)
    try:
        with raw.connect() as conn:
            assert schema.current_revision(conn) == "f00dcafe0042"
            assert conn.execute(text("SELECT COUNT(*) FROM declaration")).scalar() == 1
    finally:
        raw.dispose()


def test_database_made_before_migrations_is_adopted(db_url):
    """Databases created by create_all (no alembic_version) are stamped, data kept."""
    raw = create_engine(db_url)
    try:
        with raw.begin() as conn:
            m.Base.metadata.create_all(conn)  # also creates the view (models' event hook)
            conn.execute(
                text("INSERT INTO load_run (id, started_at) VALUES (7, CURRENT_TIMESTAMP)")
            )
    finally:
        raw.dispose()
    engine = store.open_database(db_url)
    try:
        assert revision_of(engine) == schema.head_revision()
        assert query.run_sql(engine, "SELECT id FROM load_run")["id"].tolist() == [7]
        store.save(engine, make_declaration())
        assert len(query.run_sql(engine, "SELECT * FROM declaration_summary")) == 1
    finally:
        engine.dispose()


LATER_REVISION = '''"""a later revision, as a future jixiao would ship it"""
import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = {head!r}
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("language", sa.Text(), nullable=True))
    op.execute("UPDATE document SET language = 'zh'")


def downgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.drop_column("language")
'''


def test_database_from_this_version_upgrades_to_a_later_revision(db_url, tmp_path, monkeypatch):
    engine = store.open_database(db_url)
    try:
        store.save(engine, make_declaration())
    finally:
        engine.dispose()

    later = tmp_path / "migrations"
    shutil.copytree(schema.MIGRATIONS, later, ignore=shutil.ignore_patterns("__pycache__"))
    (later / "versions" / "9001_language.py").write_text(
        LATER_REVISION.format(head=schema.head_revision()), encoding="utf-8"
    )
    monkeypatch.setattr(schema, "MIGRATIONS", later)

    engine = store.open_database(db_url)
    try:
        assert revision_of(engine) == "9001"
        frame = query.run_sql(engine, "SELECT language, sha256 FROM document")
        assert frame["language"].tolist() == ["zh"]
        assert frame["sha256"].tolist() == [make_declaration().source.sha256]
    finally:
        engine.dispose()


def test_databases_opened_at_once_get_one_schema(db_url):
    engines, errors = [], []

    def work() -> None:
        try:
            engines.append(store.open_database(db_url))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert not errors
        assert {revision_of(e) for e in engines} == {schema.head_revision()}
        store.save(engines[0], make_declaration())
    finally:
        for e in engines:
            e.dispose()


def test_revisions_ship_inside_the_package():
    """No alembic.ini: the environment and revisions sit in load/migrations/."""
    root = Path(schema.MIGRATIONS)
    assert (root / "env.py").is_file() and (root / "versions").is_dir()
    assert schema.known_revisions()[0] == "0001"
    assert not (root.parent / "alembic.ini").exists()
