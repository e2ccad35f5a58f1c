"""The phases of the current round as the office set them in the progress view."""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column


class ProgressPhase(tk.BaseModel):
    """The deadline of one phase of the current round (``phase`` a key of ``config.PHASES``);
    ``deadline`` None leaves the phase out. A phase with no row keeps the configured date."""

    __tablename__ = "yiyang_progress_phase"

    phase: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    deadline: Mapped[datetime.date | None] = mapped_column(sa.Date, nullable=True)
    modified: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False)
    modified_by: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
