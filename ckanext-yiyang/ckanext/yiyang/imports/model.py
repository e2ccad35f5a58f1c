"""The table of imports: an uploaded workbook, where its job is, and its reports."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from ckanext.yiyang.imports.states import (  # declared with the import state machine
    CHECKED,
    CHECKING,
    DONE,
    FAILED,
    IMPORTING,
    QUEUED,
    RUNNING,
)

__all__ = ["CHECKED", "CHECKING", "DONE", "FAILED", "IMPORTING", "QUEUED", "RUNNING"]


class Import(tk.BaseModel):
    __tablename__ = "yiyang_import"

    id: Mapped[str] = mapped_column(
        sa.UnicodeText, primary_key=True, default=lambda: str(uuid.uuid4())
    )
    user_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, index=True)
    file_name: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    path: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    kind: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    status: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default=QUEUED)
    # "" while only checked; "all" or "valid_only" once the user chose to import
    mode: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    done: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    total: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    check_report: Mapped[dict[str, Any] | None] = mapped_column(JSONB, nullable=True)
    import_report: Mapped[dict[str, Any] | None] = mapped_column(JSONB, nullable=True)
    error: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )
    modified: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )
