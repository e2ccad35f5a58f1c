"""Data service accounts of the units (issue 13 point 5).

Revision ID: 0013_service_account
Revises: 0012_portal
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_service_account"
down_revision = "0014_access_log"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "yiyang_service_account",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column(
            "user_id",
            sa.UnicodeText,
            sa.ForeignKey("user.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        ),
        sa.Column(
            "org_id", sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("name", sa.UnicodeText, nullable=False),
        sa.Column("title", sa.UnicodeText, nullable=False, server_default=""),
        sa.Column("token_id", sa.UnicodeText, nullable=True, unique=True),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.UnicodeText, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("revoked_at", sa.DateTime, nullable=True),
        sa.Column("revoked_by", sa.UnicodeText, nullable=True),
    )
    op.create_index(
        "yiyang_service_account_org_idx", "yiyang_service_account", ["org_id", "created"]
    )


def downgrade() -> None:
    op.drop_index("yiyang_service_account_org_idx", "yiyang_service_account")
    op.drop_table("yiyang_service_account")
