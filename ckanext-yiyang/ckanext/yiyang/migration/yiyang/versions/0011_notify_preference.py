"""Each user's choice of how notifications are mailed: at once, or as a daily digest.

Revision ID: 0011_notify_preference
Revises: 0010_subscription_basis
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_notify_preference"
down_revision = "0010_subscription_basis"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "yiyang_notify_preference",
        sa.Column(
            "user_id",
            sa.UnicodeText,
            sa.ForeignKey("user.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("mail_mode", sa.UnicodeText, nullable=False, server_default="immediate"),
        sa.Column("digest_since", sa.DateTime, nullable=True),
        sa.Column("modified", sa.DateTime, nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("yiyang_notify_preference")
