"""Schema revisions: bring a database up to this jixiao's schema with Alembic.

Every database records its schema revision in the ``alembic_version`` table.
:func:`upgrade` (called by :func:`load.store.open_database`) then does one of:

* revision is the head: nothing (one small read, no lock);
* empty database: run every revision from the first, which creates the schema;
* a database made before jixiao had migrations (tables, no ``alembic_version``): stamp it
  with the first revision, whose schema ``create_all`` made then, and upgrade from there;
* an older known revision: run the newer revisions;
* a revision this jixiao does not know — written by a newer jixiao — :class:`DatabaseNewerError`,
  touching nothing.

An upgrade runs in ONE transaction under a lock (``BEGIN IMMEDIATE`` on SQLite, an advisory
transaction lock on PostgreSQL), so processes opening a new database at the same moment
create the schema once and a failed revision leaves the database at its old revision.
The revisions live in ``load/migrations/versions/``; see :mod:`load.migrations`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from load.errors import DatabaseNewerError

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Taken (as ``hashtext``) by every schema upgrade on PostgreSQL.
LOCK_KEY = "jixiao:schema"
#: Execution option naming the statement that begins a transaction on SQLite (read by the
#: "begin" hook that :func:`load.store.open_database` installs).
SQLITE_BEGIN_OPTION = "jixiao_sqlite_begin"
#: Tables whose presence without ``alembic_version`` marks a pre-migration database.
_LEGACY_MARKER = "document"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic ``Config`` built in code (no alembic.ini); ``connection`` is the one
    ``env.py`` migrates."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision this jixiao knows."""
    head = script_directory().get_current_head()
    if head is None:  # pragma: no cover - the package ships its revisions
        raise RuntimeError(f"no schema revisions found in {MIGRATIONS / 'versions'}")
    return head


def known_revisions() -> list[str]:
    """Every revision this jixiao knows, oldest first."""
    return [s.revision for s in reversed(list(script_directory().walk_revisions()))]


def current_revision(connection: Connection) -> str | None:
    """The revision recorded in the database, or None when it has none."""
    heads = MigrationContext.configure(connection).get_current_heads()
    return heads[0] if heads else None


def upgrade(engine: Engine, label: str | None = None) -> str:
    """Bring the database up to the head revision and return it; ``label`` names the
    database in errors (defaults to its URL without password)."""
    label = label or engine.url.render_as_string(hide_password=True)
    known = known_revisions()
    head = known[-1]
    with engine.connect() as conn:
        current = current_revision(conn)
        conn.rollback()
    _refuse_unknown(current, known, head, label)
    if current == head:
        return head

    with engine.connect() as conn, _foreign_keys_off(conn):
        if conn.dialect.name == "sqlite":
            # Take the write lock before reading the revision again (see load.store).
            conn = conn.execution_options(**{SQLITE_BEGIN_OPTION: "BEGIN IMMEDIATE"})
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": LOCK_KEY})
            current = current_revision(conn)  # another process may have just upgraded it
            _refuse_unknown(current, known, head, label)
            if current == head:
                return head
            config = alembic_config(conn)
            if current is None and inspect(conn).has_table(_LEGACY_MARKER):
                log.info("%s: tables without a schema revision; stamping %s", label, known[0])
                command.stamp(config, known[0])
                current = known[0]
            log.info("%s: upgrading schema from %s to %s", label, current or "empty", head)
            command.upgrade(config, "head")
            _check_foreign_keys(conn, label)
    return head


@contextmanager
def _foreign_keys_off(conn: Connection) -> Iterator[None]:
    """SQLite: foreign keys off while revisions run. A revision that copies a table
    (a constraint SQLite cannot drop in place) drops the old one, and with foreign
    keys on that drop deletes every row that references it. The pragma cannot change
    inside a transaction, so it is set on the connection before the upgrade begins,
    and the keys are checked before it commits (``_check_foreign_keys``)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.driver_connection
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def _check_foreign_keys(conn: Connection, label: str) -> None:
    if conn.dialect.name == "sqlite":
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"{label}: schema upgrade left {len(broken)} rows with broken "
                               f"references (first: {tuple(broken[0])}); nothing was changed")


def _refuse_unknown(current: str | None, known: list[str], head: str, label: str) -> None:
    if current is not None and current not in known:
        raise DatabaseNewerError(
            f"{label} has schema revision {current}, newer than this jixiao "
            f"(head {head}): upgrade jixiao"
        )
