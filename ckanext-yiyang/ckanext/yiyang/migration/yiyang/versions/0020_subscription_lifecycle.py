"""The application lifecycle of 2025 (issue 14.1): 依据, 应用场景, 使用范围, the provider's
answer track, renewals, answer times, and the history (steps and the negotiation thread); the
live and grant indexes follow the new states.

Revision ID: 0020_subscription_lifecycle
Revises: 0015_data
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_subscription_lifecycle"
down_revision = "0015_data"
branch_labels = None
depends_on = None

TABLE = "yiyang_subscription"
LIVE_INDEX = "yiyang_subscription_live_uq"
OLD_LIVE = "status IN ('pending', 'approved')"
# as subscription.states.LIVE; renewals (renews_id) live beside the grant they renew
LIVE = "status IN ('checking', 'pending', 'approved', 'expiring', 'negotiating', 'coordinating')"
GRANT_INDEX = "yiyang_subscription_grant_idx"
RENEWAL_INDEX = "yiyang_subscription_renewal_uq"


def upgrade() -> None:
    for name in ("basis", "scenario", "scope_of_use"):
        op.add_column(TABLE, sa.Column(name, sa.UnicodeText, nullable=False, server_default=""))
    op.add_column(TABLE, sa.Column("renews_id", sa.UnicodeText, nullable=True))
    # the provider's answer: whether the entry had data (5 or 10 working days), when its
    # clock started, when it answered and whether late
    op.add_column(TABLE, sa.Column("has_data", sa.Boolean, nullable=True))
    op.add_column(TABLE, sa.Column("forwarded_at", sa.DateTime, nullable=True))
    op.add_column(TABLE, sa.Column("answered_at", sa.DateTime, nullable=True))
    op.add_column(
        TABLE, sa.Column("answered_late", sa.Boolean, nullable=False, server_default=sa.false())
    )
    op.add_column(TABLE, sa.Column("late", sa.Boolean, nullable=False, server_default=sa.false()))
    op.create_table(
        "yiyang_subscription_event",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column(
            "subscription_id",
            sa.UnicodeText,
            sa.ForeignKey(f"{TABLE}.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("action", sa.UnicodeText, nullable=False),
        sa.Column("user_id", sa.UnicodeText, nullable=True),
        sa.Column("org_id", sa.UnicodeText, nullable=True),
        sa.Column("from_status", sa.UnicodeText, nullable=True),
        sa.Column("to_status", sa.UnicodeText, nullable=False),
        sa.Column("note", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("late", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.drop_index(LIVE_INDEX, table_name=TABLE)
    op.create_index(
        LIVE_INDEX,
        TABLE,
        ["dataset_id", "applicant_org"],
        unique=True,
        postgresql_where=sa.text(f"{LIVE} AND renews_id IS NULL"),
    )
    # one live renewal per grant
    op.create_index(
        RENEWAL_INDEX, TABLE, ["renews_id"], unique=True, postgresql_where=sa.text(LIVE)
    )
    op.drop_index(GRANT_INDEX, table_name=TABLE)
    op.create_index(
        GRANT_INDEX,
        TABLE,
        ["applicant_org", "dataset_id"],
        postgresql_where=sa.text("status IN ('approved', 'expiring')"),
    )


def downgrade() -> None:
    op.drop_index(GRANT_INDEX, table_name=TABLE)
    op.create_index(
        GRANT_INDEX,
        TABLE,
        ["applicant_org", "dataset_id"],
        postgresql_where=sa.text("status = 'approved'"),
    )
    op.drop_index(RENEWAL_INDEX, table_name=TABLE)
    op.drop_index(LIVE_INDEX, table_name=TABLE)
    op.execute(
        f"UPDATE {TABLE} SET status = 'approved' WHERE status = 'expiring';"
        f"UPDATE {TABLE} SET status = 'cancelled' WHERE status IN "
        "('checking', 'negotiating', 'coordinating', 'revoked', 'refused');"
        f"UPDATE {TABLE} SET status = 'cancelled' WHERE renews_id IS NOT NULL AND {OLD_LIVE}"
    )
    op.create_index(
        LIVE_INDEX,
        TABLE,
        ["dataset_id", "applicant_org"],
        unique=True,
        postgresql_where=sa.text(OLD_LIVE),
    )
    op.drop_table("yiyang_subscription_event")
    for name in (
        "late",
        "answered_late",
        "answered_at",
        "forwarded_at",
        "has_data",
        "renews_id",
        "scope_of_use",
        "scenario",
        "basis",
    ):
        op.drop_column(TABLE, name)
