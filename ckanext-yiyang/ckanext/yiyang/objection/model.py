"""Tables of objections (数据异议), their history and usage feedback (共享成效评价)."""

from __future__ import annotations

import datetime
import uuid

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column


def _uuid() -> str:
    return str(uuid.uuid4())


class Objection(tk.BaseModel):
    """One objection to an entry, one of its 信息项 or its data, and how it was handled."""

    __tablename__ = "yiyang_objection"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=_uuid)
    dataset_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    # the providing unit when the objection was raised: it verifies
    owner_org: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    kind: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    description: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    data_item: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    resource_id: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    attachment_url: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    # an uploaded file (migration 0022, ``attachment.py``): where under the storage folder,
    # the name it was uploaded under, its size in bytes and its MIME type
    attachment_file: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    attachment_name: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    attachment_size: Mapped[int | None] = mapped_column(sa.BigInteger, nullable=True)
    attachment_type: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    raised_by: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    status: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    # the current step is due on this Chinese office day (accept, verify, or decide a contest)
    due_date: Mapped[datetime.date | None] = mapped_column(sa.Date, nullable=True)
    provisional_due: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    accepted_at: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime, nullable=True)
    extended: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    contested: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    # some step was taken after its due date
    late: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    outcome: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    reason: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    revision: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )
    modified: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )
    closed_at: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime, nullable=True)


class ObjectionEvent(tk.BaseModel):
    """One step of an objection (档案): who did what, from which state to which."""

    __tablename__ = "yiyang_objection_event"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=_uuid)
    objection_id: Mapped[str] = mapped_column(
        sa.UnicodeText,
        sa.ForeignKey("yiyang_objection.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    action: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    user_id: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    from_status: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    to_status: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    note: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    late: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )


class Feedback(tk.BaseModel):
    """The applicant unit's rating of a granted application (one per grant)."""

    __tablename__ = "yiyang_feedback"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=_uuid)
    subscription_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, unique=True)
    dataset_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    applicant_org: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    provider_org: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    quality: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    timeliness: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    satisfaction: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    outcome: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    reply: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    reply_by: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    replied_at: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime, nullable=True)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )


class FeedbackRequest(tk.BaseModel):
    """The applicant unit was asked to rate a grant (共享成效评价) after its first read: one row
    per grant, so the ask happens once."""

    __tablename__ = "yiyang_feedback_request"

    subscription_id: Mapped[str] = mapped_column(
        sa.UnicodeText,
        sa.ForeignKey("yiyang_subscription.id", ondelete="CASCADE"),
        primary_key=True,
    )
    requested_at: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )
    # the first read: who, and by which way (``download``, ``datastore_search`` …)
    read_by: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    how: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
