"""Tables of the review workflow."""

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


class ReviewEvent(tk.BaseModel):
    """One transition of an entry (or of its working copy): who, when, from, to, the opinion
    and what changed since the last reviewed version."""

    __tablename__ = "yiyang_review_event"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=_uuid)
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    actor_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )
    action: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    from_status: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    to_status: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    revision: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    opinion: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    changes: Mapped[list[Any]] = mapped_column(JSONB, nullable=False, default=list)
    # The metadata that was decided on (approve, return): the base of the next diff.
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSONB, nullable=True)


class Revision(tk.BaseModel):
    """The working copy of a published entry: a change waiting for review. At most one per
    entry; the published version stays as it is until the copy is approved."""

    __tablename__ = "yiyang_revision"

    package_id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    status: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="draft")
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    created_by: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )
    modified: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )
    submitted_at: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime, nullable=True)
