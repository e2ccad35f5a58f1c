"""What §6 cuts out of what a viewer is shown:

- the non-public 信息项 of a partly public entry, for viewers outside government;
- the data resources of an entry shared on application, for viewers it is not shared with
  (``grants``);
- the phone numbers and e-mail addresses of the units' contacts, for viewers outside
  government.

An entry leaves in three shapes, and ``redact`` handles all of them: the scheming dict
(``data_items`` a list), the default-schema dict (``use_default_schema``: an ``extras`` list
whose ``data_items`` holds JSON) and the raw Solr fields a search may ask for with ``fl``
(``validated_data_dict`` and ``data_dict``: JSON strings of one of the two others).
"""

from __future__ import annotations

import json
from typing import Any

from ckan import model
from ckan.types import Context

from ckanext.yiyang.visibility import grants, viewer
from ckanext.yiyang.visibility.labels import DATASET_TYPE

#: Raw Solr fields holding a whole entry as JSON.
RAW_SHAPES = ("validated_data_dict", "data_dict")
#: The parts of a unit's contact shown to government users only.
PRIVATE_CONTACT_FIELDS = ("office_phone", "mobile", "email")


def redact(pkg_dict: dict[str, Any], *, items: bool = False, resources: bool = False) -> dict:
    """``pkg_dict`` (changed in place, and returned) without, in every shape: the non-public
    信息项 if it is partly public (``items``), its data resources (``resources``)."""
    if items:
        _public_items_only(pkg_dict)
    if resources:
        _without_resources(pkg_dict)
    for raw in RAW_SHAPES:
        if isinstance(pkg_dict.get(raw), str):
            inner = redact(json.loads(pkg_dict[raw]), items=items, resources=resources)
            pkg_dict[raw] = json.dumps(inner)
    return pkg_dict


def _public(items: list[Any]) -> list[Any]:
    return [i for i in items if isinstance(i, dict) and i.get("disclosure_scope") == "public"]


def _public_items_only(pkg_dict: dict[str, Any]) -> None:
    if pkg_dict.get("disclosure_scope") == "partial" and isinstance(
        pkg_dict.get("data_items"), list
    ):
        pkg_dict["data_items"] = _public(pkg_dict["data_items"])
    extras = pkg_dict.get("extras")
    if isinstance(extras, list):
        scope = next((e.get("value") for e in extras if e.get("key") == "disclosure_scope"), None)
        for extra in extras:
            if extra.get("key") == "data_items" and scope == "partial":
                extra["value"] = json.dumps(_public(json.loads(extra["value"] or "[]")))


def _without_resources(pkg_dict: dict[str, Any]) -> None:
    if "resources" in pkg_dict:
        pkg_dict["resources"] = []
    if "num_resources" in pkg_dict:
        pkg_dict["num_resources"] = 0
    for key in [k for k in pkg_dict if k.startswith("res_")]:
        del pkg_dict[key]


def redact_contact(contact: dict[str, str]) -> dict[str, str]:
    """A unit's contact with its private parts emptied."""
    return {**contact, **{part: "" for part in PRIVATE_CONTACT_FIELDS}}


def _contacts_cut(value: Any) -> Any:
    """``value`` with every contact in it (a dict holding a private part, or its JSON text)
    emptied of its private parts."""
    if isinstance(value, dict):
        if any(part in value for part in PRIVATE_CONTACT_FIELDS):
            return {**value, **{p: "" for p in PRIVATE_CONTACT_FIELDS if p in value}}
        return {key: _contacts_cut(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_contacts_cut(inner) for inner in value]
    if isinstance(value, str) and value[:1] == "{":
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
        if isinstance(parsed, dict):
            return json.dumps(_contacts_cut(parsed), ensure_ascii=False)
    return value


def unit_for_outsider(group_dict: dict[str, Any]) -> dict[str, Any]:
    """A unit as a past activity carries it (``data.group``: contacts as objects, as JSON, or
    in ``extras``), changed in place to what ``organization_show`` shows outsiders: its
    contacts without their phone numbers and e-mail addresses."""
    for key, value in list(group_dict.items()):
        group_dict[key] = _contacts_cut(value)
    return group_dict


def for_viewer(pkg_dicts: list[dict[str, Any]], user_name: str | None) -> None:
    """Cut out of ``pkg_dicts`` what ``user_name`` (None: anonymous) may not see. Callers
    skip it for trusted internal calls (``ignore_auth``)."""
    outsider = not viewer.is_government(user_name)
    for pkg_dict, hidden in zip(pkg_dicts, data_hidden(pkg_dicts, user_name), strict=True):
        redact(pkg_dict, items=outsider, resources=hidden)


def data_hidden(pkg_dicts: list[dict[str, Any]], user_name: str | None) -> list[bool]:
    """For each entry of ``pkg_dicts``: its data resources are hidden from ``user_name``. One
    question for the whole list."""
    facts = [entry_facts(pkg_dict) for pkg_dict in pkg_dicts]
    allowed = grants.granted(user_name, [f for f in facts if f is not None])
    return [f is not None and f[0] not in allowed for f in facts]


def sees_contact_details(context: Context) -> bool:
    """The caller sees the private parts of the units' contacts: government users and
    trusted internal calls."""
    return bool(context.get("ignore_auth")) or viewer.is_government(context.get("user"))


def _value(pkg_dict: dict[str, Any], key: str) -> Any:
    if key in pkg_dict:
        return pkg_dict[key]
    extras = pkg_dict.get("extras")
    if isinstance(extras, list):
        return next((e.get("value") for e in extras if e.get("key") == key), None)
    return pkg_dict.get(f"extras_{key}")


def entry_facts(pkg_dict: dict[str, Any]) -> grants.Entry | None:
    """``(id, owner_org, share_type)`` of an entry in any shape, None for other dataset types;
    the database fills in what a narrow ``fl`` left out."""
    shapes = [pkg_dict] + [
        json.loads(pkg_dict[raw]) for raw in RAW_SHAPES if isinstance(pkg_dict.get(raw), str)
    ]
    found: dict[str, Any] = {}
    for shape in shapes:
        for key in ("id", "name", "owner_org", "share_type", "type"):
            value = _value(shape, key)
            if value is not None and key not in found:
                found[key] = value
    if found.get("type") not in (None, DATASET_TYPE):
        return None
    if "id" not in found or "share_type" not in found or "owner_org" not in found:
        package = model.Package.get(found.get("id") or found.get("name") or "")
        if package is None or package.type != DATASET_TYPE:
            return None
        return package.id, package.owner_org, (package.extras or {}).get("share_type")
    return found["id"], found["owner_org"], found["share_type"]
