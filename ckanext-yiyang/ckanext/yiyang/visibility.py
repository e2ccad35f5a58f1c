"""Who sees what (catalog-model §6), decided in this one module.

Every path out of the catalog asks the same two questions — which labels an entry carries and
which labels a viewer holds — through CKAN's permission labels: ``package_show`` (and so every
page, the API and ``ckanapi``), ``package_search`` results, counts and facets, autocomplete and
the activity streams all filter by them. The ``partial`` rule (only public 信息项 for the
public) is applied to whatever leaves through ``package_show`` and ``package_search``.

| viewer                     | published public/partial | published internal | undisclosed / unpublished |
| anonymous, users of no unit| yes (partial: public items) | no              | no                        |
| members of any unit        | yes                      | yes                | no                        |
| the owning unit's members  | yes                      | yes                | yes                       |
| reviewers, sysadmins       | yes                      | yes                | yes                       |

"Government users" are the members of a unit (or of the e-government office): anyone may
register an account on the portal, and an account alone must not open internal entries.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.plugins import DefaultPermissionLabels

from ckanext.yiyang import roles

DATASET_TYPE = "dataset"
PUBLIC = "public"
GOVERNMENT = "government"
REVIEWER = "reviewer"
PUBLISHED = "published"
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
    """The permission labels of catalog entries and of their viewers."""

    def get_dataset_labels(self, dataset_obj: model.Package) -> list[str]:
        if dataset_obj.type != DATASET_TYPE:
            return super().get_dataset_labels(dataset_obj)
        return entry_labels(dataset_obj.state, dataset_obj.owner_org, dataset_obj.extras or {})

    def get_user_dataset_labels(self, user_obj: model.User) -> list[str]:
        if isinstance(user_obj, GovernmentReader):
            return [PUBLIC, GOVERNMENT]
        labels = super().get_user_dataset_labels(user_obj)
        if not user_obj or user_obj.is_anonymous:
            return labels
        if any(label.startswith("member-") for label in labels):
            labels.append(GOVERNMENT)
        if roles.is_reviewer(user_obj.name):
            labels.append(REVIEWER)
        return labels


def viewer_is_government(user_name: str | None) -> bool:
    """The viewer may see every 信息项 of a partly public entry. Asked on every search and
    show, so the answer is kept for the rest of the request."""
    if not user_name:
        return False
    if user_name == GOVERNMENT_READER:
        return True
    try:
        cache = tk.g.setdefault("_yiyang_government", {})
    except (RuntimeError, AttributeError):  # outside a request: nothing to keep it in
        return _is_government(user_name)
    if user_name not in cache:
        cache[user_name] = _is_government(user_name)
    return cache[user_name]


def _is_government(user_name: str) -> bool:
    if roles.is_reviewer(user_name):
        return True
    user = model.User.get(user_name)
    if user is None:
        return False
    return bool(user.get_group_ids(group_type="organization", capacity=None))


_UNSET: Any = object()
_acting_viewer: contextvars.ContextVar[Any] = contextvars.ContextVar(
    "yiyang_acting_viewer", default=_UNSET
)


@contextlib.contextmanager
def viewing_as(user_name: str | None) -> Iterator[None]:
    """Within the block the viewer is ``user_name`` (None: anonymous) whatever the request,
    for the hooks that can only ask the request (``package_search``'s): work done on behalf of
    a viewer outside a request — a background job, the command line — and a request that acts
    for another viewer. The actions it calls must be given the same viewer in their context."""
    token = _acting_viewer.set(user_name)
    try:
        yield
    finally:
        _acting_viewer.reset(token)


def current_user_name() -> str | None:
    """The user of the current web or API request, if any (or the one of ``viewing_as``)."""
    acting = _acting_viewer.get()
    if acting is not _UNSET:
        return acting
    try:
        user = tk.current_user
        return None if user.is_anonymous else user.name
    except (RuntimeError, AttributeError):
        return None


def _public_items(items: list[Any]) -> list[Any]:
    return [i for i in items if isinstance(i, dict) and i.get("disclosure_scope") == "public"]


def hide_non_public_items(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """For viewers outside government: a partly public entry without its non-public items, in
    every shape an entry leaves in — the scheming dict (``data_items``), the default-schema
    dict (an extra holding JSON), and raw Solr fields asked for with ``fl``."""
    import json

    if pkg_dict.get("disclosure_scope") == "partial" and isinstance(
        pkg_dict.get("data_items"), list
    ):
        pkg_dict["data_items"] = _public_items(pkg_dict["data_items"])
    extras = pkg_dict.get("extras")
    if isinstance(extras, list):
        scope = next((e.get("value") for e in extras if e.get("key") == "disclosure_scope"), None)
        for extra in extras:
            if extra.get("key") == "data_items" and scope == "partial":
                extra["value"] = json.dumps(_public_items(json.loads(extra["value"] or "[]")))
    for raw in ("validated_data_dict", "data_dict"):
        if isinstance(pkg_dict.get(raw), str):
            inner = hide_non_public_items(json.loads(pkg_dict[raw]))
            pkg_dict[raw] = json.dumps(inner)
    return pkg_dict


_RAW_SHAPES = ("validated_data_dict", "data_dict")


def _extra(pkg_dict: dict[str, Any], key: str) -> Any:
    if key in pkg_dict:
        return pkg_dict[key]
    extras = pkg_dict.get("extras")
    if isinstance(extras, list):
        return next((e.get("value") for e in extras if e.get("key") == key), None)
    return pkg_dict.get(f"extras_{key}")


def _resource_facts(pkg_dict: dict[str, Any]) -> tuple[str, str | None, str | None] | None:
    """``(id, owner_org, share_type)`` of an entry in any shape; the database fills in what a
    narrow ``fl`` left out."""
    import json

    shapes = [pkg_dict] + [
        json.loads(pkg_dict[raw]) for raw in _RAW_SHAPES if isinstance(pkg_dict.get(raw), str)
    ]
    found: dict[str, Any] = {}
    for shape in shapes:
        for key in ("id", "name", "owner_org", "share_type", "type"):
            value = _extra(shape, key)
            if value is not None and key not in found:
                found[key] = value
    if found.get("type") not in (None, DATASET_TYPE):
        return None
    if "id" not in found or "share_type" not in found or "owner_org" not in found:
        package = model.Package.get(found.get("id") or found.get("name") or "")
        if package is None:
            return None
        if package.type != DATASET_TYPE:
            return None
        return package.id, package.owner_org, (package.extras or {}).get("share_type")
    return found["id"], found["owner_org"], found["share_type"]


def _strip_resources(pkg_dict: dict[str, Any]) -> None:
    import json

    if "resources" in pkg_dict:
        pkg_dict["resources"] = []
    if "num_resources" in pkg_dict:
        pkg_dict["num_resources"] = 0
    for key in [k for k in pkg_dict if k.startswith("res_")]:
        del pkg_dict[key]
    for raw in _RAW_SHAPES:
        if isinstance(pkg_dict.get(raw), str):
            inner = json.loads(pkg_dict[raw])
            _strip_resources(inner)
            pkg_dict[raw] = json.dumps(inner)


def hide_resources(pkg_dicts: list[dict[str, Any]], user_name: str | None) -> None:
    """Without their data resources: the conditional (and not shared) entries among
    ``pkg_dicts`` whose data the viewer may not see (``subscription.access``), in every shape
    an entry leaves in. One query for the whole list."""
    from ckanext.yiyang.subscription import access

    facts = [(pkg_dict, _resource_facts(pkg_dict)) for pkg_dict in pkg_dicts]
    allowed = access.granted(user_name, [f for _d, f in facts if f is not None])
    for pkg_dict, fact in facts:
        if fact is not None and fact[0] not in allowed:
            _strip_resources(pkg_dict)
