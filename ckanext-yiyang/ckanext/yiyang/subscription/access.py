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
from ckanext.yiyang.subscription import workflow
from ckanext.yiyang.subscription.model import Subscription


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
    rows = (
        model.Session.query(Subscription.dataset_id)
        .filter(
            Subscription.status == workflow.APPROVED,
            Subscription.applicant_org.in_(list(units)),
            Subscription.dataset_id.in_(list(entry_ids)),
            sa.or_(
                Subscription.valid_until.is_(None), Subscription.valid_until >= workdays.today()
            ),
        )
        .all()
    )
    return {row[0] for row in rows}
