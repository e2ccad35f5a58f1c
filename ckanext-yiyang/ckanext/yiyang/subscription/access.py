"""What an approved subscription grants (catalog-model §6, last paragraph): the data resources
(files, links, API endpoints) of a ``conditional`` entry are visible to the owning unit,
reviewers, sysadmins and units with an approved, unexpired subscription; everyone else sees
the entry's metadata only. ``none`` entries (不予共享) are never granted: their resources stay
with the owning unit and the reviewers.

The base plugin applies it to every path out (``visibility.hide_resources``); this module
answers "may this viewer see the data of these entries" with one indexed query per call.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import sqlalchemy as sa
from ckan import model

from ckanext.yiyang import roles

RESTRICTED = frozenset({"conditional", "none"})
APPROVED = "approved"


def today() -> datetime.date:
    from ckanext.yiyang import workdays

    return workdays.today()


def _units(user: model.User) -> list[str]:
    return list(user.get_group_ids(group_type="organization", capacity=None))


def granted(
    user_name: str | None, entries: Iterable[tuple[str, str | None, str | None]]
) -> set[str]:
    """The ids among ``entries`` — ``(id, owner_org, share_type)`` — whose data the viewer may
    see."""
    entries = list(entries)
    open_ids = {i for i, _org, share in entries if share not in RESTRICTED}
    restricted = [(i, org, share) for i, org, share in entries if share in RESTRICTED]
    if not restricted:
        return open_ids
    if roles.is_reviewer(user_name):
        return open_ids | {i for i, _o, _s in restricted}
    user = model.User.get(user_name or "") if user_name else None
    if user is None:
        return open_ids
    units = set(_units(user))
    own = {i for i, org, _s in restricted if org and org in units}
    asked = [i for i, org, share in restricted if share == "conditional" and i not in own]
    subscribed: set[str] = set()
    if asked and units:
        from ckanext.yiyang.subscription.model import Subscription

        rows = (
            model.Session.query(Subscription.dataset_id)
            .filter(
                Subscription.status == APPROVED,
                Subscription.applicant_org.in_(units),
                Subscription.dataset_id.in_(asked),
                sa.or_(Subscription.valid_until.is_(None), Subscription.valid_until >= today()),
            )
            .all()
        )
        subscribed = {row[0] for row in rows}
    return open_ids | own | subscribed


def may_see_data(user_name: str | None, package: model.Package) -> bool:
    share = (package.extras or {}).get("share_type")
    return package.id in granted(user_name, [(package.id, package.owner_org, share)])
