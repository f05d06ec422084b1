"""The errors load/ raises."""

from __future__ import annotations


class LoadError(Exception):
    """Base of load/'s errors: a declaration could not be stored or read."""


class UnsupportedDatabaseError(LoadError):
    """The database URL names a backend other than SQLite or PostgreSQL."""


class SaveError(LoadError):
    """A declaration was not saved; its transaction was rolled back and nothing of it kept."""


class ReadOnlyError(LoadError):
    """``run_sql`` refused a statement that is not one read-only query (SELECT/WITH/EXPLAIN)."""


class DatabaseNewerError(LoadError):
    """The database has a schema revision this jixiao does not know (a newer jixiao wrote it)."""
