"""Imports of survey workbooks: one row per uploaded file, its progress and its reports.

Revision ID: 0008_survey_import
Revises: 0007_demand
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0008_survey_import"
down_revision = "0007_demand"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "yiyang_import",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("user_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("file_name", sa.UnicodeText, nullable=False),
        sa.Column("path", sa.UnicodeText, nullable=False),
        sa.Column("kind", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("mode", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("done", sa.Integer, nullable=False, server_default="0"),
        sa.Column("total", sa.Integer, nullable=False, server_default="0"),
        sa.Column("check_report", JSONB, nullable=True),
        sa.Column("import_report", JSONB, nullable=True),
        sa.Column("error", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("yiyang_import")
