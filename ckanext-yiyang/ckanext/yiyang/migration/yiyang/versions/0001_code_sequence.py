"""Per-category counters of resource codes.

Revision ID: 0001_code_sequence
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_code_sequence"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "yiyang_code_sequence",
        sa.Column("category", sa.UnicodeText, primary_key=True),
        sa.Column("last_value", sa.Integer, nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("yiyang_code_sequence")
