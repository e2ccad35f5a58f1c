"""Review events and working copies.

Revision ID: 0005_review
Revises: 0004_notification
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0005_review"
down_revision = "0004_notification"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "yiyang_review_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("actor_id", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("from_status", sa.UnicodeText, nullable=False),
        sa.Column("to_status", sa.UnicodeText, nullable=False),
        sa.Column("revision", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("opinion", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("changes", JSONB, nullable=False, server_default="[]"),
        sa.Column("snapshot", JSONB, nullable=True),
    )
    op.create_table(
        "yiyang_revision",
        sa.Column("package_id", sa.UnicodeText, primary_key=True),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("data", JSONB, nullable=False),
        sa.Column("created_by", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
        sa.Column("submitted_at", sa.DateTime, nullable=True),
    )
    # The review queue and the progress view filter entries by their review status.
    op.execute(
        "CREATE INDEX yiyang_package_review_status_idx "
        "ON package ((extras ->> 'review_status')) WHERE type = 'dataset'"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS yiyang_package_review_status_idx")
    op.drop_table("yiyang_revision")
    op.drop_table("yiyang_review_event")
