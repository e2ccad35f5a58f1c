"""The notification inbox (catalog-model §9).

Revision ID: 0004_notification
Revises: 0003_category
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_notification"
down_revision = "0003_category"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "yiyang_notification",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column(
            "user_id",
            sa.UnicodeText,
            sa.ForeignKey("user.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("body", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("link", sa.UnicodeText, nullable=True),
        sa.Column("object_type", sa.UnicodeText, nullable=True),
        sa.Column("object_id", sa.UnicodeText, nullable=True),
        sa.Column("created", sa.DateTime, nullable=False, server_default=sa.func.now()),
        sa.Column("read_at", sa.DateTime, nullable=True),
    )
    op.create_index(
        "yiyang_notification_user_read_idx", "yiyang_notification", ["user_id", "read_at"]
    )
    op.create_index(
        "yiyang_notification_user_created_idx", "yiyang_notification", ["user_id", "created"]
    )
    op.create_index(
        "yiyang_notification_object_idx", "yiyang_notification", ["object_type", "object_id"]
    )


def downgrade() -> None:
    op.drop_table("yiyang_notification")
