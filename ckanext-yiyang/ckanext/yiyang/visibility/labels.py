"""The permission labels of catalog entries and of their viewers (catalog-model §6).

CKAN filters ``package_search`` (results, counts, facets), autocomplete and the activity
streams by them, and ``package_show`` (so every page and the API) through its auth check: an
entry is seen by a viewer who holds one of its labels.

| entry                                   | labels                               |
| any                                     | ``reviewer``, ``member-<owning unit>`` |
| published ``public`` or ``partial``     | and ``public`` (everyone holds it)   |
| published ``internal``                  | and ``government``                   |

Government users (members of any unit) hold ``government``, reviewers and sysadmins
``reviewer``, a unit's members ``member-<unit>`` (CKAN's own label).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import sqlalchemy as sa
from ckan import authz, model
from ckan.lib.plugins import DefaultPermissionLabels

from ckanext.yiyang import roles

DATASET_TYPE = "dataset"
PUBLISHED = "published"
PUBLIC = "public"
GOVERNMENT = "government"
REVIEWER = "reviewer"
#: The scopes of published entries that everyone sees (``partial``: its public 信息项 only).
OPEN_SCOPES = frozenset({"public", "partial"})
#: The name of the government reader (below); ":" is not allowed in CKAN user names.
GOVERNMENT_READER = "yiyang:government-reader"


@dataclasses.dataclass(frozen=True)
class GovernmentReader:
    """A government user of no unit in particular: no account, but a viewer the actions
    accept as ``auth_user_obj`` (with ``user`` = ``GOVERNMENT_READER``). It sees exactly what
    every member of every unit sees — published public, partial (all 信息项) and internal
    entries — and none of the unpublished or undisclosed entries that a real member sees of
    their own unit. The internal edition of the catalog book reads the catalog as it."""

    name: str = GOVERNMENT_READER
    id: str = GOVERNMENT_READER
    is_anonymous: bool = False
    sysadmin: bool = False

    def is_deleted(self) -> bool:
        return False


def entry_labels(state: str, owner_org: str | None, extras: dict[str, Any]) -> list[str]:
    """The labels of an entry in ``state`` with these extras (review_status, disclosure_scope)."""
    labels = [REVIEWER]
    if owner_org:
        labels.append(f"member-{owner_org}")
    if state == "active" and extras.get("review_status") == PUBLISHED:
        scope = extras.get("disclosure_scope")
        if scope in OPEN_SCOPES:
            labels.append(PUBLIC)
        elif scope == "internal":
            labels.append(GOVERNMENT)
    return labels


def is_private(review_status: str | None, disclosure_scope: str | None) -> bool:
    """CKAN's ``private`` flag of an entry: true unless the public may see it. CKAN's own
    listings that know nothing of labels (package_list, …) then never show more than that."""
    return not (review_status == PUBLISHED and disclosure_scope in OPEN_SCOPES)


class Labels(DefaultPermissionLabels):
    """The permission labels of catalog entries and of their viewers (``IPermissionLabels``)."""

    def get_dataset_labels(self, dataset_obj: model.Package) -> list[str]:
        if dataset_obj.type != DATASET_TYPE:
            return super().get_dataset_labels(dataset_obj)
        return entry_labels(dataset_obj.state, dataset_obj.owner_org, dataset_obj.extras or {})

    def get_user_dataset_labels(self, user_obj: model.User) -> list[str]:
        if isinstance(user_obj, GovernmentReader):
            return [PUBLIC, GOVERNMENT]
        if not user_obj or user_obj.is_anonymous:
            return super().get_user_dataset_labels(user_obj)
        if user_obj.sysadmin or authz.check_config_permission("allow_dataset_collaborators"):
            labels = super().get_user_dataset_labels(user_obj)
        else:
            # CKAN's labels (``public``, ``creator-<user>``, ``member-<unit>`` of each unit
            # where the user may read) from the memberships ``roles`` read once for the
            # request, rather than through organization_list_for_user, which dictizes every
            # unit of the user on every request (a fifth of an API call's time). Units are
            # flat: no read permission cascades to a sub-unit.
            labels = [PUBLIC, f"creator-{user_obj.id}"]
            labels += [f"member-{unit}" for unit in roles.units_of(user_obj.name, "read")]
        if roles.is_government(user_obj.name):
            labels.append(GOVERNMENT)
        if roles.is_reviewer(user_obj.name):
            labels.append(REVIEWER)
        return labels


def restrict_activities(package: model.Package) -> None:
    """Past activities of an entry may not stay visible to more people than the entry now is
    (a withdrawn entry's publication, a scope narrowed by a revision): their labels become the
    entry's, wherever they held one the entry no longer has. (CKAN's activity model maps the
    ``text[]`` column as text, hence SQL.)"""
    labels = Labels().get_dataset_labels(package)
    model.Session.execute(
        sa.text(
            "UPDATE activity SET permission_labels = :labels "
            "WHERE object_id = :id AND NOT (permission_labels <@ :labels)"
        ),
        {"labels": labels, "id": package.id},
    )
