"""Initial schema: documents, load runs, declaration versions and their form rows.

This revision is frozen: it creates the schema as it was when migrations began (the same
one ``create_all`` made before), on SQLite and PostgreSQL. Later changes go in later
revisions, never here.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

#: Money: NUMERIC(20, 6) (load.models.Money reads it back as an exact Decimal).
MONEY = sa.Numeric(precision=20, scale=6)
TIMESTAMP = sa.DateTime(timezone=True)

SUMMARY_VIEW = """
SELECT d.id AS declaration_id,
       d.department AS department,
       d.year AS year,
       d.version AS version,
       doc.file_name AS file,
       (SELECT COUNT(*) FROM indicator i WHERE i.declaration_id = d.id) AS indicator_count,
       (SELECT COUNT(*) FROM budget_line b WHERE b.declaration_id = d.id) AS budget_lines,
       (SELECT COUNT(*) FROM issue s WHERE s.declaration_id = d.id) AS issue_count
FROM declaration d
JOIN document doc ON doc.id = d.document_id
WHERE d.is_current
"""

CHILD_TABLES = ("prior_year_result", "work_task", "budget_line", "indicator", "provenance", "issue")


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _declaration_id() -> sa.Column:
    return sa.Column(
        "declaration_id",
        sa.Integer(),
        sa.ForeignKey("declaration.id", ondelete="CASCADE"),
        nullable=False,
    )


def _load_id() -> sa.Column:
    return sa.Column(
        "load_id", sa.Integer(), sa.ForeignKey("load_run.id", ondelete="SET NULL"), nullable=True
    )


def upgrade() -> None:
    op.create_table(
        "load_run",
        _id(),
        sa.Column("started_at", TIMESTAMP, nullable=False),
        sa.Column("finished_at", TIMESTAMP, nullable=True),
        sa.Column("options", sa.JSON(), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=True),
    )
    op.create_table(
        "document",
        _id(),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("page_kinds", sa.JSON(), nullable=False),
        sa.Column("extractor_version", sa.Text(), nullable=False),
        sa.Column("ingested_at", TIMESTAMP, nullable=False),
        _load_id(),
        sa.UniqueConstraint("sha256"),
    )
    op.create_table(
        "declaration",
        _id(),
        sa.Column(
            "document_id",
            sa.Integer(),
            sa.ForeignKey("document.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("department", sa.Text(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("money_unit", sa.Text(), nullable=False),
        sa.Column("subordinate_units", sa.Integer(), nullable=True),
        sa.Column("staffing_quota", sa.Integer(), nullable=True),
        sa.Column("funded_staff", sa.Integer(), nullable=True),
        sa.Column("functions", sa.Text(), nullable=True),
        sa.Column("policies", sa.Text(), nullable=True),
        sa.Column("strategic_goals", sa.Text(), nullable=True),
        sa.Column("annual_goals", sa.Text(), nullable=True),
        sa.Column("signoff_filled_by", sa.Text(), nullable=True),
        sa.Column("signoff_date", sa.String(10), nullable=True),
        sa.Column("signoff_phone", sa.Text(), nullable=True),
        sa.Column("signoff_head", sa.Text(), nullable=True),
        sa.Column(
            "superseded_by",
            sa.Integer(),
            sa.ForeignKey("declaration.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("superseded_at", TIMESTAMP, nullable=True),
        _load_id(),
        sa.UniqueConstraint("document_id"),
    )
    op.create_index("ix_declaration_department_year", "declaration", ["department", "year"])
    # At most one current version per (department, year).
    op.create_index(
        "uq_declaration_current",
        "declaration",
        ["department", "year"],
        unique=True,
        sqlite_where=sa.text("is_current"),
        postgresql_where=sa.text("is_current"),
    )

    op.create_table(
        "prior_year_result",
        _id(),
        _declaration_id(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
    )
    op.create_table(
        "work_task",
        _id(),
        _declaration_id(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("functions", sa.Text(), nullable=True),
        sa.Column("projects", sa.Text(), nullable=True),
    )
    op.create_table(
        "budget_line",
        _id(),
        _declaration_id(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(16), nullable=False),
        sa.Column("item", sa.Text(), nullable=False),
        sa.Column("parent", sa.Text(), nullable=True),
        sa.Column("annual", MONEY, nullable=True),
        sa.Column("h1", MONEY, nullable=True),
        sa.Column("q3", MONEY, nullable=True),
        sa.Column("annual_raw", sa.Text(), nullable=False),
        sa.Column("h1_raw", sa.Text(), nullable=False),
        sa.Column("q3_raw", sa.Text(), nullable=False),
    )
    values = []
    for period in ("target", "annual", "h1", "q3"):
        required = period == "target"
        values += [
            sa.Column(f"{period}_raw", sa.Text(), nullable=not required),
            sa.Column(f"{period}_kind", sa.String(16), nullable=not required),
            sa.Column(f"{period}_value", MONEY, nullable=True),
            sa.Column(f"{period}_unit", sa.Text(), nullable=True),
            sa.Column(f"{period}_comparator", sa.String(2), nullable=True),
            sa.Column(f"{period}_direction", sa.String(16), nullable=True),
            sa.Column(f"{period}_confidence", sa.Float(), nullable=True),
        ]
    op.create_table(
        "indicator",
        _id(),
        _declaration_id(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("level1", sa.Text(), nullable=False),
        sa.Column("level2", sa.Text(), nullable=False),
        sa.Column("level3", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=True),
        sa.Column("has_periods", sa.Boolean(), nullable=False),
        *values,
    )
    op.create_table(
        "provenance",
        _id(),
        _declaration_id(),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("x0", sa.Float(), nullable=False),
        sa.Column("top", sa.Float(), nullable=False),
        sa.Column("x1", sa.Float(), nullable=False),
        sa.Column("bottom", sa.Float(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
    )
    op.create_table(
        "issue",
        _id(),
        _declaration_id(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=True),
    )
    for table in CHILD_TABLES:
        op.create_index(f"ix_{table}_declaration_id", table, ["declaration_id"])

    op.execute("CREATE VIEW declaration_summary AS " + SUMMARY_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS declaration_summary")
    for table in reversed(CHILD_TABLES):
        op.drop_table(table)
    op.drop_table("declaration")
    op.drop_table("document")
    op.drop_table("load_run")
