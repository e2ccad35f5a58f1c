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
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )
    modified: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )
