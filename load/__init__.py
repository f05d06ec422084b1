"""load/: store normalized declarations in SQLite or PostgreSQL, query and export them.

Input is only ``normalize.model.Declaration``. Public API:

* :func:`load.store.open_database`, :func:`load.store.save`, :class:`load.store.SaveResult`,
  :func:`load.store.start_load_run`, :func:`load.store.finish_load_run`,
  :func:`load.store.fetch_declaration`
* :func:`load.query.run_sql`, :func:`load.query.declarations_frame`,
  :func:`load.query.indicators_frame`, :func:`load.query.budget_frame`,
  :func:`load.query.issues_frame`
* :func:`load.export.export_declarations`, :func:`load.export.write_json`,
  :func:`load.export.write_csv`, :func:`load.export.write_xlsx`
* :func:`load.schema.upgrade` (schema revisions; ``open_database`` calls it)
* errors in :mod:`load.errors`
"""

from load.errors import (
    DatabaseNewerError,
    LoadError,
    ReadOnlyError,
    SaveError,
    UnsupportedDatabaseError,
)
from load.export import export_declarations, write_csv, write_json, write_xlsx
from load.query import budget_frame, declarations_frame, indicators_frame, issues_frame, run_sql
from load.store import (
    SaveResult,
    fetch_declaration,
    finish_load_run,
    open_database,
    save,
    start_load_run,
)

__all__ = [
    "DatabaseNewerError",
    "LoadError",
    "ReadOnlyError",
    "SaveError",
    "SaveResult",
    "UnsupportedDatabaseError",
    "budget_frame",
    "declarations_frame",
    "export_declarations",
    "fetch_declaration",
    "finish_load_run",
    "indicators_frame",
    "issues_frame",
    "open_database",
    "run_sql",
    "save",
    "start_load_run",
    "write_csv",
    "write_json",
    "write_xlsx",
]
