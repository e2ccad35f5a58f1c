"""Subscriptions (资源订阅): applications to use another unit's entry.

Revision ID: 0006_subscription
Revises: 0005_review
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0006_subscription"
down_revision = "0005_review"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "yiyang_subscription",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("dataset_id", sa.UnicodeText, nullable=False),
        sa.Column("applicant_org", sa.UnicodeText, nullable=False),
        sa.Column("applicant_user", sa.UnicodeText, nullable=False),
        sa.Column("purpose", sa.UnicodeText, nullable=False),
        sa.Column("purpose_detail", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("data_item_names", JSONB, nullable=False, server_default="[]"),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("due_date", sa.Date, nullable=True),
        sa.Column("provisional_due", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("decided_by", sa.UnicodeText, nullable=True),
        sa.Column("decided_at", sa.DateTime, nullable=True),
        sa.Column("reason", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("valid_until", sa.Date, nullable=True),
        sa.Column("coordination_requested", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("reminded_on", sa.Date, nullable=True),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    # The grant check (every package_show of a conditional entry): approved rows of a unit.
    op.create_index(
        "yiyang_subscription_grant_idx",
        "yiyang_subscription",
        ["applicant_org", "dataset_id"],
        postgresql_where=sa.text("status = 'approved'"),
    )
    # The lists: an entry's applications, and pending ones by due date (queues, reminders).
    op.create_index("yiyang_subscription_dataset_idx", "yiyang_subscription", ["dataset_id"])
    op.create_index(
        "yiyang_subscription_status_due_idx", "yiyang_subscription", ["status", "due_date"]
    )


def downgrade() -> None:
    op.drop_index("yiyang_subscription_status_due_idx", "yiyang_subscription")
    op.drop_index("yiyang_subscription_dataset_idx", "yiyang_subscription")
    op.drop_index("yiyang_subscription_grant_idx", "yiyang_subscription")
    op.drop_table("yiyang_subscription")
