"""What an approved subscription grants (catalog-model §6, last paragraph): the data resources
(files, links, API endpoints) of a ``conditional`` entry are visible to the units with an
approved, unexpired subscription, beside the owning unit and the reviewers whom the base rule
already lets in (``visibility.grants``).

``granted`` answers the base's ``data_granted`` signal (connected in ``subscriptions.py``), so
every path out that applies §6 asks it, with one indexed query per call.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from ckan import model

from ckanext.yiyang import workdays
from ckanext.yiyang.subscription import states
from ckanext.yiyang.subscription.model import Subscription


def _live(units: Collection[str], entry_ids: Collection[str]) -> Any:
    """The grants (granted or expiring) of ``units`` to ``entry_ids``, valid today: an
    expired, revoked or cancelled one grants nothing from the moment it changed."""
    return model.Session.query(Subscription).filter(
        Subscription.status.in_(states.GRANTS),
        Subscription.applicant_org.in_(list(units)),
        Subscription.dataset_id.in_(list(entry_ids)),
        sa.or_(Subscription.valid_until.is_(None), Subscription.valid_until >= workdays.today()),
    )


def granted(
    sender: str | None,
    units: Collection[str] = (),
    entry_ids: Collection[str] = (),
    **_kwargs: Any,
) -> set[str]:
    """The ids among ``entry_ids`` that one of ``units`` has an approved subscription to,
    valid today."""
    if not units or not entry_ids:
        return set()
    rows = _live(units, entry_ids).with_entities(Subscription.dataset_id).all()
    return {row[0] for row in rows}


def granted_columns(
    sender: str | None,
    units: Collection[str] = (),
    entry_id: str = "",
    **_kwargs: Any,
) -> set[str] | None:
    """The 信息项 that the approved, valid subscriptions of ``units`` to the entry name (the
    base's ``data_columns_granted`` signal); None when one of them names none (all of them)."""
    names: set[str] = set()
    if not units or not entry_id:
        return names
    for (wanted,) in _live(units, [entry_id]).with_entities(Subscription.data_item_names):
        if not wanted:
            return None
        names |= {str(n) for n in wanted}
    return names
