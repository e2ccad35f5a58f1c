"""The access audit log (使用记录, issue 13 point 6): one row per read of data, append-only.

A trigger refuses every UPDATE and DELETE of a row (and TRUNCATE), so no code path — an
action, a job, a mistaken script — edits the log. A retention purge may delete rows older
than a cut-off only inside a transaction that sets ``yiyang.access_log_purge`` to ``on``
(``SET LOCAL``); nothing in the portal does so yet. The function outlives a dropped table
(``ckan db clean`` drops tables only), hence ``CREATE OR REPLACE``.

Revision ID: 0014_access_log
Revises: 0012_portal
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0014_access_log"
down_revision = "0012_portal"
branch_labels = None
depends_on = None

HOWS = (
    "download",
    "dump",
    "datastore_search",
    "datastore_search_sql",
    "datastore_info",
    "preview",
    "api",
)


def upgrade() -> None:
    op.create_table(
        "yiyang_access_log",
        sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("user_id", sa.UnicodeText, nullable=True),
        sa.Column("user_name", sa.UnicodeText, nullable=True),
        sa.Column(
            "user_units",
            postgresql.ARRAY(sa.UnicodeText),
            nullable=False,
            server_default="{}",
        ),
        sa.Column("token_name", sa.UnicodeText, nullable=True),
        sa.Column("dataset_id", sa.UnicodeText, nullable=True),
        sa.Column("dataset_org", sa.UnicodeText, nullable=True),
        sa.Column("resource_id", sa.UnicodeText, nullable=True),
        sa.Column("columns", postgresql.ARRAY(sa.UnicodeText), nullable=True),
        sa.Column("rows", sa.BigInteger, nullable=True),
        sa.Column("how", sa.UnicodeText, nullable=False),
        sa.Column("client", sa.UnicodeText, nullable=True),
        sa.Column("outcome", sa.UnicodeText, nullable=False),
        sa.Column("reason", sa.UnicodeText, nullable=True),
        sa.CheckConstraint(
            "how IN (" + ", ".join(f"'{h}'" for h in HOWS) + ")",
            name="yiyang_access_log_how_check",
        ),
        sa.CheckConstraint(
            "outcome IN ('served', 'refused')", name="yiyang_access_log_outcome_check"
        ),
    )
    op.create_index("yiyang_access_log_at_idx", "yiyang_access_log", ["at"])
    op.create_index("yiyang_access_log_org_idx", "yiyang_access_log", ["dataset_org", "at"])
    op.create_index("yiyang_access_log_dataset_idx", "yiyang_access_log", ["dataset_id", "at"])
    op.create_index("yiyang_access_log_resource_idx", "yiyang_access_log", ["resource_id", "at"])
    op.create_index("yiyang_access_log_user_idx", "yiyang_access_log", ["user_name", "at"])
    op.create_index(
        "yiyang_access_log_units_idx",
        "yiyang_access_log",
        ["user_units"],
        postgresql_using="gin",
    )
    op.execute(
        """
        CREATE OR REPLACE FUNCTION yiyang_access_log_append_only() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE'
               AND current_setting('yiyang.access_log_purge', true) = 'on' THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION 'yiyang_access_log is append-only: % refused', TG_OP
                USING ERRCODE = 'insufficient_privilege';
        END;
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        """
        CREATE TRIGGER yiyang_access_log_append_only
        BEFORE UPDATE OR DELETE ON yiyang_access_log
        FOR EACH ROW EXECUTE FUNCTION yiyang_access_log_append_only()
        """
    )
    op.execute(
        """
        CREATE TRIGGER yiyang_access_log_no_truncate
        BEFORE TRUNCATE ON yiyang_access_log
        FOR EACH STATEMENT EXECUTE FUNCTION yiyang_access_log_append_only()
        """
    )


def downgrade() -> None:
    op.drop_table("yiyang_access_log")
    op.execute("DROP FUNCTION IF EXISTS yiyang_access_log_append_only()")
