"""At most one live (pending or approved) application per unit and entry: a unique partial
index, which the creation's ``INSERT … ON CONFLICT DO NOTHING`` relies on when two
applications of one unit arrive at once.

Revision ID: 0009_subscription_live_unique
Revises: 0008_survey_import
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_subscription_live_unique"
down_revision = "0008_survey_import"
branch_labels = None
depends_on = None

INDEX = "yiyang_subscription_live_uq"
LIVE = "status IN ('pending', 'approved')"


def upgrade() -> None:
    # Duplicates the race let in before: the later ones of a unit and entry are cancelled.
    op.execute(
        f"""
        UPDATE yiyang_subscription AS later
        SET status = 'cancelled', reason = 'duplicate application', modified = now()
        WHERE later.{LIVE} AND EXISTS (
            SELECT 1 FROM yiyang_subscription AS earlier
            WHERE earlier.dataset_id = later.dataset_id
              AND earlier.applicant_org = later.applicant_org
              AND earlier.{LIVE}
              AND (earlier.created, earlier.id) < (later.created, later.id)
        )
        """
    )
    op.create_index(
        INDEX,
        "yiyang_subscription",
        ["dataset_id", "applicant_org"],
        unique=True,
        postgresql_where=sa.text(LIVE),
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="yiyang_subscription")
