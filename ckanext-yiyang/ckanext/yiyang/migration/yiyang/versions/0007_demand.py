"""Demands (资源需求): the 数据需求调研表.

Revision ID: 0007_demand
Revises: 0006_subscription
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_demand"
down_revision = "0006_subscription"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "yiyang_demand",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("title", sa.UnicodeText, nullable=False),
        sa.Column("provider_org", sa.UnicodeText, nullable=True, index=True),
        sa.Column("requester_org", sa.UnicodeText, nullable=False, index=True),
        sa.Column("requester_user", sa.UnicodeText, nullable=False),
        sa.Column("content", sa.UnicodeText, nullable=False),
        sa.Column("purpose", sa.UnicodeText, nullable=False),
        sa.Column("update_frequency", sa.UnicodeText, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False, index=True),
        sa.Column("due_date", sa.Date, nullable=True),
        sa.Column("provisional_due", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("reminded_on", sa.Date, nullable=True),
        sa.Column("dataset_id", sa.UnicodeText, nullable=True),
        sa.Column("reason", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )
    op.create_table(
        "yiyang_demand_comment",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column(
            "demand_id",
            sa.UnicodeText,
            sa.ForeignKey("yiyang_demand.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("user_id", sa.UnicodeText, nullable=False),
        sa.Column("body", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("yiyang_demand_comment")
    op.drop_table("yiyang_demand")
