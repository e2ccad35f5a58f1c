"""Tables of demands and their comments."""

from __future__ import annotations

import datetime
import uuid

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column


def _uuid() -> str:
    return str(uuid.uuid4())


class Demand(tk.BaseModel):
    """One demand (需求): what a unit needs, from whom, and how it was answered."""

    __tablename__ = "yiyang_demand"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=_uuid)
    title: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    provider_org: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True, index=True)
    requester_org: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    requester_user: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    content: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    purpose: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    update_frequency: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    status: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="submitted")
    # The answer is due on this Chinese office day (counted from submission or routing).
    due_date: Mapped[datetime.date | None] = mapped_column(sa.Date, nullable=True)
    provisional_due: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    # The Chinese day of the last due-date reminder: at most one a day.
    reminded_on: Mapped[datetime.date | None] = mapped_column(sa.Date, nullable=True)
    dataset_id: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)
    reason: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )
    modified: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )


class DemandComment(tk.BaseModel):
    __tablename__ = "yiyang_demand_comment"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=_uuid)
    demand_id: Mapped[str] = mapped_column(
        sa.UnicodeText,
        sa.ForeignKey("yiyang_demand.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    body: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )
