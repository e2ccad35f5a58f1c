"""The e-mail of each notification is kept in the database until it is sent (issue 17.1).

Revision ID: 0023_notification_mail
Revises: 0022_attachment_feedback_ask
Create Date: 2026-12-04

``mail_state``: NULL (no mail wanted: mail off, or the daily digest), ``pending`` (to send),
``sending`` (a worker took it), ``sent``, ``no_email`` (the user has no address). A mail whose
job was lost (the queue down when it was enqueued, a worker killed) stays ``pending`` or
``sending`` and is sent again by ``ckan yiyang resend-notification-mails``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023_notification_mail"
down_revision = "0022_attachment_feedback_ask"
branch_labels = None
depends_on = None

TABLE = "yiyang_notification"


def upgrade() -> None:
    op.add_column(TABLE, sa.Column("mail_state", sa.UnicodeText, nullable=True))
    op.add_column(TABLE, sa.Column("mailed_at", sa.DateTime, nullable=True))
    op.create_index(
        "yiyang_notification_mail_unsent_idx",
        TABLE,
        ["created"],
        postgresql_where=sa.text("mail_state IN ('pending', 'sending')"),
    )


def downgrade() -> None:
    op.drop_index("yiyang_notification_mail_unsent_idx", table_name=TABLE)
    op.drop_column(TABLE, "mailed_at")
    op.drop_column(TABLE, "mail_state")
