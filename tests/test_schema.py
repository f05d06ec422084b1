"""Schema revisions (load/schema.py, load/migrations/): every database knows its revision,
is brought up to head when opened, and a database from a newer jixiao is refused."""

from __future__ import annotations

import json
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from jsonschema import Draft202012Validator
from sqlalchemy import MetaData, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from test_load import SCHEMA_PATH, make_declaration

from load import export, query, schema, store
from load import models as m
from load.errors import DatabaseNewerError


def revision_of(engine) -> str | None:
    with engine.connect() as conn:
        return schema.current_revision(conn)


def at_revision(db_url: str, revision: str) -> None:
    """Give the empty database the schema of an older ``revision``, as that jixiao made it."""
    raw = create_engine(db_url)
    try:
        with raw.begin() as conn:
            command.upgrade(schema.alembic_config(conn), revision)
    finally:
        raw.dispose()


def stored_before(conn, tables: MetaData, name: str, sha256: str, pages: int, version: int,
                  current: bool = True) -> int:
    """A document and its 盐城市住房公积金管理中心 2020 declaration, inserted as an older
    jixiao stored them (``tables`` reflected from that revision); the declaration's id."""
    (document,) = conn.execute(tables.tables["document"].insert().values(
        file_name=name, path=name, sha256=sha256, pages=pages, page_kinds=["text"] * pages,
        extractor_version="1", ingested_at=m.utcnow())).inserted_primary_key
    (declaration,) = conn.execute(tables.tables["declaration"].insert().values(
        document_id=document, department="盐城市住房公积金管理中心", year=2020, version=version,
        is_current=current, money_unit="万元")).inserted_primary_key
    return declaration


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
    # create_all made then the schema revision 0001 froze; today's would have later columns
    at_revision(db_url, "0001")
    raw = create_engine(db_url)
    try:
        with raw.begin() as conn:
            conn.execute(text("DROP TABLE alembic_version"))
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


def test_database_at_0002_gets_issue_fields_in_place(db_url):
    """An issue stored before issues had fields keeps NULL; new ones store theirs."""
    at_revision(db_url, "0002")
    raw = create_engine(db_url)
    try:
        with raw.begin() as conn:
            tables = MetaData()
            tables.reflect(conn)
            assert "field" not in tables.tables["issue"].columns
            declaration = stored_before(conn, tables, "old.pdf", "a" * 64, 4, version=1)
            conn.execute(tables.tables["issue"].insert().values(
                declaration_id=declaration, position=0, code="budget_total_mismatch",
                message="预算支出 合计 全年数 is 1 万元 but its lines add up to 2 万元", page=3))
    finally:
        raw.dispose()

    engine = store.open_database(db_url)
    try:
        assert revision_of(engine) == schema.head_revision()
        old = query.issues_frame(engine, year=2020)
        assert old[["code", "page"]].values.tolist() == [["budget_total_mismatch", 3]]
        assert old["field"].isna().all()
        assert store.fetch_declaration(engine, declaration).issues[0].field is None
        store.save(engine, make_declaration())
        new = query.issues_frame(engine, year=2021)
        assert new["field"].tolist()[0] == "/budget/0/annual"
        validator = Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
        records = export.export_declarations(engine)
        assert [[i["field"] for i in r["issues"]] for r in records] == [
            [None], ["/budget/0/annual", None]]
        for record in records:
            assert not list(validator.iter_errors(record))
    finally:
        engine.dispose()


def test_database_at_0003_keeps_every_row_when_documents_take_several_declarations(db_url):
    """Revision 0004 lets a document hold several declarations. On SQLite that copies
    the declaration table, whose drop would delete every row below it with foreign keys
    on: every row stays, each declaration gets its file's pages, the one-current-version
    rule holds, and a file of two forms can be stored."""
    at_revision(db_url, "0003")
    raw = create_engine(db_url)
    try:
        with raw.begin() as conn:
            tables = MetaData()
            tables.reflect(conn)
            ids = [stored_before(conn, tables, name, str(version) * 64, pages, version,
                                 current=version == 2)
                   for name, pages, version in (("older.pdf", 3, 1), ("old.pdf", 4, 2))]
            conn.execute(tables.tables["declaration"].update()
                         .where(tables.tables["declaration"].c.id == ids[0]).values(superseded_by=ids[1]))
            for declaration in ids:
                conn.execute(tables.tables["issue"].insert().values(
                    declaration_id=declaration, position=0, code="section_missing",
                    message="no 年度工作任务", page=1, field="/work_tasks"))
    finally:
        raw.dispose()

    engine = store.open_database(db_url)
    try:
        assert revision_of(engine) == schema.head_revision()
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, first_page, last_page, superseded_by "
                                     "FROM declaration ORDER BY id")).all()
            assert [tuple(r) for r in rows] == [(ids[0], 1, 3, ids[1]), (ids[1], 1, 4, None)]
            assert conn.execute(text("SELECT COUNT(*) FROM issue")).scalar() == 2
            assert conn.execute(text(f"SELECT department FROM {m.SUMMARY_VIEW}")).all() == \
                [("盐城市住房公积金管理中心",)]
        with pytest.raises(IntegrityError):  # still one current version per department and year
            with engine.begin() as conn:
                conn.execute(text("UPDATE declaration SET is_current = TRUE"))
        first = make_declaration()
        second = make_declaration(department="淮安市民政局")
        pages = {"pages": 8, "first_page": 5, "last_page": 8}
        second = replace(second, source=replace(first.source, **pages))
        first = replace(first, source=replace(first.source, pages=8, last_page=4))
        saved = store.save_file(engine, [first, second], other_pages=())
        assert [s.status for s in saved] == ["loaded", "loaded"]
        assert len({s.document_id for s in saved}) == 1
        assert [(r["department"], r["source"]["first_page"], r["source"]["last_page"])
                for r in export.export_declarations(engine, year=2021)] == \
            [("淮安市民政局", 5, 8), (first.department, 1, 4)]
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
