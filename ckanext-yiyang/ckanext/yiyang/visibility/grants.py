"""Whose data a viewer may see (catalog-model §6, last paragraph): the data resources (files,
links, API endpoints) of an entry shared on application — ``conditional`` and ``none`` — are
for the owning unit, reviewers and sysadmins; everyone else sees its metadata only, unless a
feature grants more.

Features grant through the ``data_granted`` signal, which the base only sends: the subscription
feature connects its query of approved applications to it (``ISignal``) — so the base never
imports a feature, and without the feature only the rule above holds. ``none`` entries (不予共享)
are never offered to the signal; their resources are described to the owning unit and the
reviewers, and their data itself read by the owning unit only (``datagate.gate.refusal``).
"""

from __future__ import annotations

from collections.abc import Iterable

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.yiyang import roles

#: Share types whose data is for the owning unit (and what features grant).
RESTRICTED = frozenset({"conditional", "none"})
#: Share types whose data features may grant to other units.
GRANTABLE = frozenset({"conditional"})

#: Sent as ``data_granted.send(viewer_name, units=…, entry_ids=…)``; each receiver returns
#: the set of ``entry_ids`` whose data it grants to the viewer or to one of ``units`` (the
#: ids of the viewer's units). Asked only for entries of a grantable share type that the
#: viewer does not see already.
data_granted = tk.signals.ckanext.signal(
    "yiyang_data_granted",
    doc="Which of these entries' data a feature grants to a viewer or the viewer's units.",
)

Entry = tuple[str, str | None, str | None]


def granted(user_name: str | None, entries: Iterable[Entry]) -> set[str]:
    """The ids among ``entries`` — ``(id, owner_org, share_type)`` — whose data the viewer may
    see: those not shared on application, and of the others those of the viewer's own units
    (all for reviewers) and those a feature grants. One question per call, whatever the
    number of entries."""
    entries = list(entries)
    allowed = {i for i, _org, share in entries if share not in RESTRICTED}
    restricted = [(i, org, share) for i, org, share in entries if share in RESTRICTED]
    if not restricted:
        return allowed
    if roles.is_reviewer(user_name):
        return allowed | {i for i, _org, _share in restricted}
    units = set(roles.units_of(user_name))
    own = {i for i, org, _share in restricted if org and org in units}
    asked = [i for i, org, share in restricted if share in GRANTABLE and i not in own]
    allowed |= own
    if asked and user_name:
        for _receiver, answer in data_granted.send(
            user_name, units=frozenset(units), entry_ids=tuple(asked)
        ):
            allowed |= set(answer or ()) & set(asked)
    return allowed


def may_see_data(user_name: str | None, package: model.Package) -> bool:
    """The viewer may see the data resources of this entry."""
    share = (package.extras or {}).get("share_type")
    return package.id in granted(user_name, [(package.id, package.owner_org, share)])
