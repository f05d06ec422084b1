"""Views of current versions: current_indicator and current_budget_line.

The tables keep every version of every declaration; most questions are about
today's picture. These views are the indicator and budget rows of current
declarations, with the department, year and file beside each row, so a query
needs no join to ask "every department's 2021 indicators whose target is a rate".

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CURRENT_INDICATOR = """
CREATE VIEW current_indicator AS
SELECT d.department AS department, d.year AS year, d.version AS version,
       doc.file_name AS file, t.*
FROM indicator t
JOIN declaration d ON d.id = t.declaration_id
JOIN document doc ON doc.id = d.document_id
WHERE d.is_current
"""
CURRENT_BUDGET_LINE = """
CREATE VIEW current_budget_line AS
SELECT d.department AS department, d.year AS year, d.version AS version,
       doc.file_name AS file, t.*
FROM budget_line t
JOIN declaration d ON d.id = t.declaration_id
JOIN document doc ON doc.id = d.document_id
WHERE d.is_current
"""


def upgrade() -> None:
    op.execute(CURRENT_INDICATOR)
    op.execute(CURRENT_BUDGET_LINE)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS current_budget_line")
    op.execute("DROP VIEW IF EXISTS current_indicator")
