"""The data of entries (issue 13): per resource, the state of its load into the DataStore, the
last connectivity check of a data service, and the comparison of its columns with the entry's
信息项 (目录与数据一致性).

Revision ID: 0015_data
Revises: 0012_portal
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_data"
down_revision = "0019_objection"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "yiyang_data_state",
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("load_state", sa.UnicodeText, nullable=True),
        sa.Column("load_rows", sa.Integer, nullable=True),
        sa.Column("load_error", sa.UnicodeText, nullable=True),
        sa.Column("load_encoding", sa.UnicodeText, nullable=True),
        sa.Column("load_updated", sa.DateTime, nullable=True),
        sa.Column("load_source", sa.UnicodeText, nullable=True),
        sa.Column("service_status", sa.Integer, nullable=True),
        sa.Column("service_latency_ms", sa.Integer, nullable=True),
        sa.Column("service_error", sa.UnicodeText, nullable=True),
        sa.Column("service_checked_at", sa.DateTime, nullable=True),
    )
    op.create_table(
        "yiyang_data_consistency",
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("checked_at", sa.DateTime, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("differences", sa.JSON, nullable=False, server_default="[]"),
        sa.Column("columns", sa.JSON, nullable=False, server_default="[]"),
    )


def downgrade() -> None:
    op.drop_table("yiyang_data_consistency")
    op.drop_table("yiyang_data_state")
