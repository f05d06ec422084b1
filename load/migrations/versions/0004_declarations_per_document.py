"""Several declarations per document, each with the pages of the file it was read from;
how each page was turned to be read.

A file may hold several forms, or one form inside a booklet. ``declaration.document_id``
stops being unique; each declaration records ``first_page`` and ``last_page`` (one
declaration per first page of a document), and ``document.other_pages`` lists the pages
that are part of no form; ``document.page_turns`` how far each page was turned
(clockwise) to stand its text upright, and ``document.page_sheets`` where a
photographed page's sheet lies, both for ``show``. Declarations stored before keep their whole file as their
pages (first page 1, last page the document's page count), which is what was read.

On SQLite a unique constraint cannot be dropped in place: the declaration table is
copied and renamed (Alembic's batch mode). SQLite would cascade the drop of the old
table to every child row, so ``load.schema.upgrade`` runs revisions with foreign keys
off and checks them before it commits. The views that read the table are dropped
before the copy and made again after it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import importlib

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_initial = importlib.import_module("load.migrations.versions.0001_initial_schema")
_views = importlib.import_module("load.migrations.versions.0002_current_views")

UNIQUE_PAGES = "uq_declaration_document_pages"


SUMMARY_VIEW = _initial.SUMMARY_VIEW


def _drop_views() -> None:
    op.execute("DROP VIEW IF EXISTS declaration_summary")
    op.execute("DROP VIEW IF EXISTS current_indicator")
    op.execute("DROP VIEW IF EXISTS current_budget_line")


def _create_views() -> None:
    op.execute("CREATE VIEW declaration_summary AS " + SUMMARY_VIEW)
    op.execute(_views.CURRENT_INDICATOR)
    op.execute(_views.CURRENT_BUDGET_LINE)


def _indexes(create: bool) -> None:
    if not create:
        op.drop_index("uq_declaration_current", table_name="declaration")
        op.drop_index("ix_declaration_department_year", table_name="declaration")
        return
    op.create_index("ix_declaration_department_year", "declaration", ["department", "year"])
    op.create_index("uq_declaration_current", "declaration", ["department", "year"], unique=True,
                    sqlite_where=sa.text("is_current"), postgresql_where=sa.text("is_current"))


def _document_unique_name() -> str | None:
    for constraint in sa.inspect(op.get_bind()).get_unique_constraints("declaration"):
        if constraint["column_names"] == ["document_id"]:
            return constraint["name"]
    return None


def upgrade() -> None:
    op.add_column("document", sa.Column("other_pages", sa.JSON(), nullable=True))
    op.add_column("document", sa.Column("page_turns", sa.JSON(), nullable=True))
    op.add_column("document", sa.Column("page_sheets", sa.JSON(), nullable=True))
    _drop_views()
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        _indexes(create=False)  # made again below, with the partial index's WHERE
    # SQLite's constraint has no name: the convention names it for the copy to leave out
    with op.batch_alter_table("declaration", recreate="always" if sqlite else "auto",
                              naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"}) as batch:
        batch.add_column(sa.Column("first_page", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("last_page", sa.Integer(), nullable=True))
        batch.drop_constraint(
            "uq_declaration_document_id" if sqlite else (_document_unique_name() or "declaration_document_id_key"),
            type_="unique")
    op.execute("UPDATE declaration SET last_page = (SELECT pages FROM document "
               "WHERE document.id = declaration.document_id)")
    with op.batch_alter_table("declaration", recreate="auto") as batch:
        batch.alter_column("last_page", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("first_page", existing_type=sa.Integer(), server_default=None)
        batch.create_unique_constraint(UNIQUE_PAGES, ["document_id", "first_page"])
    if sqlite:
        _indexes(create=True)
    _create_views()


def downgrade() -> None:
    raise NotImplementedError("0004 cannot be undone: a document may now hold several declarations")
