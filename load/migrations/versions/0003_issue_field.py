"""issue.field: the JSON Pointer of what an issue concerns.

A nullable text column, so issues stored before it (at revision 0002) keep NULL: they
concern the declaration as a whole until their document is re-read (``ingest --force``).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


# Plain ALTER TABLE on both databases (SQLite drops a column since 3.35): a batch
# (copy-and-rename) table on SQLite fails while the declaration_summary view reads it.
def upgrade() -> None:
    op.add_column("issue", sa.Column("field", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("issue", "field")
