"""Objections to catalog entries (数据异议, 校核纠错), their history, and usage feedback on
granted applications (共享成效评价), issue 14 points 2 and 3.

Revision ID: 0019_objection
Revises: 0012_portal
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_objection"
down_revision = "0013_service_account"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "yiyang_objection",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("dataset_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("owner_org", sa.UnicodeText, nullable=False, index=True),
        sa.Column("kind", sa.UnicodeText, nullable=False),
        sa.Column("description", sa.UnicodeText, nullable=False),
        sa.Column("data_item", sa.UnicodeText, nullable=True),
        sa.Column("resource_id", sa.UnicodeText, nullable=True),
        sa.Column("attachment_url", sa.UnicodeText, nullable=True),
        sa.Column("raised_by", sa.UnicodeText, nullable=False, index=True),
        sa.Column("status", sa.UnicodeText, nullable=False, index=True),
        sa.Column("due_date", sa.Date, nullable=True),
        sa.Column("provisional_due", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("accepted_at", sa.DateTime, nullable=True),
        sa.Column("extended", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("contested", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("late", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("outcome", sa.UnicodeText, nullable=True),
        sa.Column("reason", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("revision", sa.UnicodeText, nullable=True),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
        sa.Column("closed_at", sa.DateTime, nullable=True),
    )
    op.create_table(
        "yiyang_objection_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column(
            "objection_id",
            sa.UnicodeText,
            sa.ForeignKey("yiyang_objection.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("user_id", sa.UnicodeText, nullable=True),
        sa.Column("from_status", sa.UnicodeText, nullable=True),
        sa.Column("to_status", sa.UnicodeText, nullable=False),
        sa.Column("note", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("late", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_table(
        "yiyang_feedback",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("subscription_id", sa.UnicodeText, nullable=False, unique=True),
        sa.Column("dataset_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("applicant_org", sa.UnicodeText, nullable=False, index=True),
        sa.Column("provider_org", sa.UnicodeText, nullable=False, index=True),
        sa.Column("user_id", sa.UnicodeText, nullable=False),
        sa.Column("quality", sa.Integer, nullable=False),
        sa.Column("timeliness", sa.Integer, nullable=False),
        sa.Column("satisfaction", sa.Integer, nullable=False),
        sa.Column("outcome", sa.UnicodeText, nullable=False),
        sa.Column("reply", sa.UnicodeText, nullable=True),
        sa.Column("reply_by", sa.UnicodeText, nullable=True),
        sa.Column("replied_at", sa.DateTime, nullable=True),
        sa.Column("created", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("yiyang_feedback")
    op.drop_table("yiyang_objection_event")
    op.drop_table("yiyang_objection")
