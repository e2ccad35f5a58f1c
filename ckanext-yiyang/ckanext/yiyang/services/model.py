"""The service accounts: one row per account, beside the CKAN user it is."""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.model.types import make_uuid
from sqlalchemy.orm import Mapped, mapped_column


class ServiceAccount(tk.BaseModel):
    """A system of a unit that reads the catalog's data through the API.

    ``user_id`` is the CKAN user the system acts as (a member of ``org_id``); ``token_id`` the
    id (``jti``) of the API token handed out when the account was created, kept after the token
    is revoked so that a revoked token is recognised (and refused) rather than taken for an
    anonymous call. ``expires_at`` is UTC; ``revoked_at`` is set once, by the revocation.
    """

    __tablename__ = "yiyang_service_account"
    __table_args__ = (sa.Index("yiyang_service_account_org_idx", "org_id", "created"),)

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True, default=make_uuid)
    user_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    org_id: Mapped[str] = mapped_column(
        sa.UnicodeText, sa.ForeignKey("group.id", ondelete="CASCADE"), nullable=False
    )
    name: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    title: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False, default="")
    token_id: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True, unique=True)
    created: Mapped[datetime.datetime] = mapped_column(
        sa.DateTime, nullable=False, default=datetime.datetime.utcnow
    )
    created_by: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    expires_at: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False)
    revoked_at: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime, nullable=True)
    revoked_by: Mapped[str | None] = mapped_column(sa.UnicodeText, nullable=True)

    def expired(self, now: datetime.datetime | None = None) -> bool:
        return self.expires_at <= (now or datetime.datetime.utcnow())

    def usable(self, now: datetime.datetime | None = None) -> bool:
        """Neither revoked nor expired."""
        return self.revoked_at is None and not self.expired(now)
