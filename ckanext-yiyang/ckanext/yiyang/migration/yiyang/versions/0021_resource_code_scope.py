"""Resource codes are unique within one catalog, not across the catalogs it harvests.

Revision ID: 0021_resource_code_scope
Revises: 0020_subscription_lifecycle
Create Date: 2026-12-04

Each catalog numbers its entries itself (catalog-model §4), so a county's ``102/000001`` and the
city's own ``102/000001`` are two entries; a harvested entry keeps its source's code (issue 15.3)
and is told apart by its ``harvest_origin``. The unique index of 0002 made the city's first
harvest of such an entry fail; the code is now unique per origin (the city's own entries have
none). The code stays the index's first column, so look-ups by code still use it.
"""

from __future__ import annotations

from alembic import op

revision = "0021_resource_code_scope"
down_revision = "0020_subscription_lifecycle"
branch_labels = None
depends_on = None

INDEX = "yiyang_package_resource_code_idx"


def upgrade() -> None:
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
    op.execute(
        f"CREATE UNIQUE INDEX {INDEX} "
        "ON package ((extras ->> 'resource_code'), (COALESCE(extras ->> 'harvest_origin', ''))) "
        "WHERE extras ? 'resource_code'"
    )


def downgrade() -> None:
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
    op.execute(
        f"CREATE UNIQUE INDEX {INDEX} "
        "ON package ((extras ->> 'resource_code')) "
        "WHERE extras ? 'resource_code'"
    )
