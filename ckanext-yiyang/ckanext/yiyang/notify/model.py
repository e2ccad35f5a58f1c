"""The inbox: one row per notification and recipient."""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.model.types import make_uuid
from sqlalchemy.orm import Mapped, mapped_column

MAIL_PENDING = "pending"
MAIL_SENDING = "sending"
MAIL_SENT = "sent"
MAIL_NO_EMAIL = "no_email"
MAIL_STATES = (MAIL_PENDING, MAIL_SENDING, MAIL_SENT, MAIL_NO_EMAIL)


class Notification(tk.BaseModel):
    """Something a user is asked to look at (or act on), with where to do it.

    ``title`` and ``body`` are stored as the calling feature wrote them (already translated);
    ``link`` is a path on the portal (``/dataset/101-000001``), never an outside address;
    ``object_type`` / ``object_id`` name what it is about (``dataset`` and its id, …) so that a
    feature can find its own notifications again.
    """

    __tablename__ = "yiyang_notification"
    __table_args__ = (
        sa.Index("yiyang_notification_user_read_idx", "user_id", "read_at"),
        sa.Index("yiyang_notification_user_created_idx", "user_id", "created"),
        sa.Index("yiyang_notification_object_idx", "object_type", "object_id"),
    )

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    user_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False
    )
    kind: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    title: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    body: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    link: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    object_type: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    object_id: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )
    read_at: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime, nullable=True)
    #: The e-mail of this notification (migration 0023): None when none is wanted, else
    #: one of :data:`MAIL_STATES`; kept here until sent, whatever becomes of the job.
    mail_state: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    mailed_at: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime, nullable=True)

    def as_dict(self) -> dict[str, str | bool | None]:
        return {
            "id": self.id,
            "user_id": self.user_id,
            "kind": self.kind,
            "title": self.title,
            "body": self.body,
            "link": self.link,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "created": self.created.isoformat(),
            "read_at": self.read_at.isoformat() if self.read_at else None,
            "unread": self.read_at is None,
        }


#: How a user gets notifications by e-mail: each at once, or one mail a day with all of them.
IMMEDIATE, DIGEST = "immediate", "digest"
MAIL_MODES = (IMMEDIATE, DIGEST)


class NotifyPreference(tk.BaseModel):
    """A user's choice of how notifications reach them by e-mail (no row: ``immediate``).

    ``digest_since``: for ``digest``, the moment after which notifications are not mailed
    yet — when the user chose the digest, then the end of the last digest sent.
    """

    __tablename__ = "yiyang_notify_preference"

    user_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    mail_mode: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default=IMMEDIATE)
    digest_since: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime, nullable=True)
    modified: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )
