"""Per resource: its load into the DataStore, its service check, its consistency with the
entry's 信息项. Rows are written only by this package's jobs (one row per resource, upserted)."""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Mapped, mapped_column


class DataState(tk.BaseModel):
    """``load_state``: ``pending`` → ``loading`` → ``done`` | ``error`` (``load_rows`` rows;
    ``load_error`` the Chinese message). A failed load leaves the previous table, so ``done``
    with rows may be followed by ``error`` while the old table stays readable."""

    __tablename__ = "yiyang_data_state"

    resource_id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    load_state: Mapped[str | None] = mapped_column(sa.UnicodeText)
    load_rows: Mapped[int | None] = mapped_column(sa.Integer)
    load_error: Mapped[str | None] = mapped_column(sa.UnicodeText)
    load_encoding: Mapped[str | None] = mapped_column(sa.UnicodeText)
    load_updated: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime)
    # What was loaded (address, size, modification): an update that changes none of these (the
    # DataStore's own ``datastore_active`` patch) does not load again.
    load_source: Mapped[str | None] = mapped_column(sa.UnicodeText)
    service_status: Mapped[int | None] = mapped_column(sa.Integer)
    service_latency_ms: Mapped[int | None] = mapped_column(sa.Integer)
    service_error: Mapped[str | None] = mapped_column(sa.UnicodeText)
    service_checked_at: Mapped[datetime.datetime | None] = mapped_column(sa.DateTime)

    def as_dict(self) -> dict[str, Any]:
        return {
            "resource_id": self.resource_id,
            "package_id": self.package_id,
            "load_state": self.load_state,
            "load_rows": self.load_rows,
            "load_error": self.load_error,
            "load_encoding": self.load_encoding,
            "load_updated": _iso(self.load_updated),
            "service_status": self.service_status,
            "service_latency_ms": self.service_latency_ms,
            "service_error": self.service_error,
            "service_checked_at": _iso(self.service_checked_at),
        }


class Consistency(tk.BaseModel):
    """The last comparison of a loaded table with the entry's 信息项: ``consistent`` or
    ``differs``, ``differences`` a list of ``{item, problem, declared, found}``."""

    __tablename__ = "yiyang_data_consistency"

    resource_id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    checked_at: Mapped[datetime.datetime] = mapped_column(sa.DateTime, nullable=False)
    status: Mapped[str] = mapped_column(sa.UnicodeText, nullable=False)
    differences: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, nullable=False)
    # The table's columns as loaded: ``{id, type, length}`` with a catalog data type.
    columns: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, nullable=False)

    def as_dict(self) -> dict[str, Any]:
        return {
            "resource_id": self.resource_id,
            "package_id": self.package_id,
            "checked_at": _iso(self.checked_at),
            "status": self.status,
            "differences": self.differences,
            "columns": self.columns,
        }


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value else None


def now() -> datetime.datetime:
    return datetime.datetime.utcnow()


def set_state(resource_id: str, package_id: str, **values: Any) -> None:
    """Upsert the resource's row with ``values`` and commit (a job's progress must be seen by
    the pages while the job runs)."""
    table = DataState.__table__
    statement = insert(table).values(resource_id=resource_id, package_id=package_id, **values)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.resource_id], set_={"package_id": package_id, **values}
    )
    model.Session.execute(statement)
    model.Session.commit()


def set_consistency(
    resource_id: str,
    package_id: str,
    status: str,
    differences: list[dict[str, Any]],
    columns: list[dict[str, Any]],
) -> None:
    table = Consistency.__table__
    values = {
        "package_id": package_id,
        "checked_at": now(),
        "status": status,
        "differences": differences,
        "columns": columns,
    }
    statement = insert(table).values(resource_id=resource_id, **values)
    statement = statement.on_conflict_do_update(index_elements=[table.c.resource_id], set_=values)
    model.Session.execute(statement)
    model.Session.commit()


def forget(resource_id: str) -> None:
    """Delete a (deleted) resource's rows."""
    for table in (DataState, Consistency):
        model.Session.query(table).filter(table.resource_id == resource_id).delete(
            synchronize_session=False
        )
    model.Session.commit()


def state(resource_id: str) -> DataState | None:
    return model.Session.get(DataState, resource_id)


def states_of(package_id: str) -> list[DataState]:
    return list(model.Session.query(DataState).filter(DataState.package_id == package_id))


def consistency_of(package_id: str) -> list[Consistency]:
    return list(model.Session.query(Consistency).filter(Consistency.package_id == package_id))


def consistency(resource_id: str) -> Consistency | None:
    return model.Session.get(Consistency, resource_id)
