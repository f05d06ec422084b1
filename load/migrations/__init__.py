"""The Alembic environment of jixiao's database schema (see :mod:`load.schema`).

``env.py`` runs on the connection that :func:`load.schema.upgrade` hands it, so no
``alembic.ini`` is needed and an installed jixiao migrates its databases by itself.
``versions/`` holds one file per schema revision, oldest first (``0001_…``); a change to
:mod:`load.models` lands together with a new revision, written with

    .venv/bin/python -m load.migrations revision "add document.language"

which autogenerates it against a scratch database at the current head (review it, then
run the tests: ``tests/test_schema.py`` fails while models and migrations disagree).
"""
