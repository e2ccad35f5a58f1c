"""The office's notices on the home page, and the phases of the current round of cataloguing
as the office sets them in the progress view.

Revision ID: 0012_portal
Revises: 0011_notify_preference
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_portal"
down_revision = "0011_notify_preference"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "yiyang_notice",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("body", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("author_id", sa.UnicodeText, nullable=False),
        sa.Column("state", sa.UnicodeText, nullable=False, server_default="active"),
        sa.Column("created", sa.DateTime, nullable=False, index=True),
    )
    op.create_table(
        "yiyang_progress_phase",
        sa.Column("phase", sa.UnicodeText, primary_key=True),
        sa.Column("deadline", sa.Date, nullable=True),
        sa.Column("modified", sa.DateTime, nullable=False),
        sa.Column("modified_by", sa.UnicodeText, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("yiyang_progress_phase")
    op.drop_table("yiyang_notice")
