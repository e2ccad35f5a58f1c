"""The office's notices (通知公告) shown on the home page."""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.model.types import make_uuid
from sqlalchemy.orm import Mapped, mapped_column

ACTIVE, DELETED = "active", "deleted"


class Notice(tk.BaseModel):
    """A notice of the e-government office to everyone: a title and a plain-text body. Deleting
    one hides it (``state`` ``deleted``); nothing else changes a notice once published."""

    __tablename__ = "yiyang_notice"

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    title: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    body: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    author_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    state: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default=ACTIVE)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow, index=True
    )

    def as_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "title": self.title,
            "body": self.body,
            "author_id": self.author_id,
            "state": self.state,
            "created": self.created.isoformat(),
        }
