"""The basis document (依据文件) an application may carry: where CKAN's uploader stored it and
the name it was uploaded under.

Revision ID: 0010_subscription_basis
Revises: 0009_subscription_live_unique
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_subscription_basis"
down_revision = "0009_subscription_live_unique"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("yiyang_subscription", sa.Column("basis_file", sa.UnicodeText, nullable=True))
    op.add_column("yiyang_subscription", sa.Column("basis_name", sa.UnicodeText, nullable=True))


def downgrade() -> None:
    op.drop_column("yiyang_subscription", "basis_name")
    op.drop_column("yiyang_subscription", "basis_file")
