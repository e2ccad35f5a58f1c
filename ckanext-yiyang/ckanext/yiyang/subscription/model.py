"""The table of subscriptions (applications to use an entry)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column


def _uuid() -> str:
    return str(uuid.uuid4())


class Subscription(tk.BaseModel):
    """One unit's application to use one entry, and its answer."""

    __tablename__ = "yiyang_subscription"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=_uuid)
    dataset_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    applicant_org: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    applicant_user: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    purpose: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    purpose_detail: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    data_item_names: Mapped[list[Any]] = mapped_column(JSONB, nullable=False, default=list)
    status: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    due_date: Mapped[datetime.date | None] = mapped_column(sa.Date, nullable=True)
    provisional_due: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    decided_by: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    decided_at: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime, nullable=True)
    reason: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    valid_until: Mapped[datetime.date | None] = mapped_column(sa.Date, nullable=True)
    # The basis document (依据文件) a share condition asks for: the file kept by CKAN's
    # uploader (under ``<storage>/yiyang_basis/``) and the name it was uploaded under.
    basis_file: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    basis_name: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    coordination_requested: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    # The day the daily reminder last went out for it: the reminder runs once a day.
    reminded_on: Mapped[datetime.date | None] = mapped_column(sa.Date, nullable=True)
    # 2025 (migration 0020): 依据, 应用场景, 使用范围; the grant a renewal renews; the
    # provider's answer track (entry with data: the shorter time) and its answer time
    basis: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    scenario: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    scope_of_use: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    renews_id: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    has_data: Mapped[bool | None] = mapped_column(sa.Boolean, nullable=True)
    forwarded_at: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime, nullable=True)
    answered_at: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime, nullable=True)
    answered_late: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    # some step was taken after its due date
    late: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )
    modified: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )


class SubscriptionEvent(tk.BaseModel):
    """One step of an application's lifecycle, or one message of its negotiation thread
    (``action == "negotiate"``): who, for which unit, from and to which state, late or not."""

    __tablename__ = "yiyang_subscription_event"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=_uuid)
    subscription_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("yiyang_subscription.id", ondelete="CASCADE"), nullable=False
    )
    action: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    user_id: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    org_id: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    from_status: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    to_status: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    note: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    late: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )
