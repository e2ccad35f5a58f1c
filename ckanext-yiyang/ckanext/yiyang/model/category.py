"""Deeper levels (细目) of the catalog classification, added by the e-government office."""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column


class CategoryLevel(tk.BaseModel):
    """One node below the shipped tree; its parent is a shipped node or another added one."""

    __tablename__ = "yiyang_category"

    code: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    parent_code: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    title: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    title_en: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    created_by: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )
