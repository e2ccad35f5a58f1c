"""An objection's uploaded attachment, and when the applicant was asked for usage feedback
(issue 14 points 2 and 3).

Revision ID: 0022_attachment_feedback_ask
Revises: 0021_resource_code_scope
Create Date: 2026-12-04

The attachment is kept outside CKAN's public upload folder (``<storage>/yiyang_objection/``),
served only to those who may see the objection; the objection keeps where, under which name,
its size and type. ``yiyang_feedback_request`` holds one row per grant whose applicant unit
was asked to rate it (共享成效评价) after its first read: the primary key makes the ask happen
once, even for two first reads at the same time.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022_attachment_feedback_ask"
down_revision = "0021_resource_code_scope"
branch_labels = None
depends_on = None

COLUMNS = ("attachment_file", "attachment_name", "attachment_type")


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column("yiyang_objection", sa.Column(name, sa.UnicodeText, nullable=True))
    op.add_column("yiyang_objection", sa.Column("attachment_size", sa.BigInteger, nullable=True))
    op.create_table(
        "yiyang_feedback_request",
        sa.Column(
            "subscription_id",
            sa.UnicodeText,
            sa.ForeignKey("yiyang_subscription.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("requested_at", sa.DateTime, nullable=False),
        sa.Column("read_by", sa.UnicodeText, nullable=True),
        sa.Column("how", sa.UnicodeText, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("yiyang_feedback_request")
    op.drop_column("yiyang_objection", "attachment_size")
    for name in reversed(COLUMNS):
        op.drop_column("yiyang_objection", name)
