"""Per-category counters of the resource codes (信息资源代码 = 分类码/顺序码)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column


class CodeSequence(tk.BaseModel):
    """The last sequence number given in one catalog category.

    One row per category; a new code takes the row's lock (``UPDATE … RETURNING``), so two
    entries created at the same moment never share a number and a number is never reused.
    """

    __tablename__ = "yiyang_code_sequence"

    category: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    last_value: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
