"""Deeper classification levels added by the e-government office.

Revision ID: 0003_category
Revises: 0002_resource_code_index
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_category"
down_revision = "0002_resource_code_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "yiyang_category",
        sa.Column("code", sa.UnicodeText, primary_key=True),
        sa.Column("parent_code", sa.UnicodeText, nullable=False, index=True),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("title_en", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("created_by", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("yiyang_category")
