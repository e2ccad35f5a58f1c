"""Unique index on the entries' resource codes.

Revision ID: 0002_resource_code_index
Revises: 0001_code_sequence
Create Date: 2026-11-24

The code lives in the package's JSONB extras (ckanext-scheming stores custom fields there); an
expression index makes look-ups by code fast at 130,000+ entries and makes a duplicate code
impossible whatever path wrote it.
"""

from __future__ import annotations

from alembic import op

revision = "0002_resource_code_index"
down_revision = "0001_code_sequence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE UNIQUE INDEX yiyang_package_resource_code_idx "
        "ON package ((extras ->> 'resource_code')) "
        "WHERE extras ? 'resource_code'"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS yiyang_package_resource_code_idx")
