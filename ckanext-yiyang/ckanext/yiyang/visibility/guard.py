"""CKAN's own actions that know nothing of §6, chained to follow it.

- ``package_show``, ``resource_show``: an entry the caller may not see is "not found", as one
  that does not exist (a 403 would tell that it exists);
- ``tag_show`` (``include_datasets``): only the entries the caller sees, cut as
  ``package_search`` cuts them;
- ``resource_search``: only the resources whose data the caller may see;
- ``tag_list``, ``tag_search``, ``tag_autocomplete``, ``format_autocomplete`` (and the
  ``/api/2/util`` routes calling them): only the keywords and formats of entries the caller
  sees, taken from the facets of the caller's own search;
- ``member_list``: only the entries the caller sees among a unit's members;
- a search refused by ``visibility.query`` is a 400 on every page (``blueprint``).

Trusted internal calls (``ignore_auth``) get CKAN's answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.lib.plugins import get_permission_labels
from ckan.lib.search.common import SearchQueryError
from ckan.types import Action, Context, DataDict
from flask import Blueprint

from ckanext.yiyang.visibility import grants, redaction

__all__ = [
    "format_autocomplete",
    "member_list",
    "package_show",
    "resource_search",
    "resource_show",
    "tag_autocomplete",
    "tag_list",
    "tag_search",
    "tag_show",
]


def _trusted(context: Context) -> bool:
    user = context.get("user")
    return bool(context.get("ignore_auth")) or bool(user and authz.is_sysadmin(user))


def _user_labels(context: Context) -> set[str]:
    user_obj = context.get("auth_user_obj")
    name = context.get("user")
    if user_obj is None or getattr(user_obj, "name", None) != name:
        user_obj = model.User.get(name) if name else None
    return set(get_permission_labels().get_user_dataset_labels(user_obj))


def visible_ids(context: Context, ids: Iterable[str]) -> set[str]:
    """The ids (or names) among ``ids`` of entries the caller of ``context`` sees (by their
    permission labels, as ``package_show`` and ``package_search`` decide)."""
    ids = {i for i in ids if i}
    if _trusted(context) or not ids:
        return ids
    labels = _user_labels(context)
    checker = get_permission_labels()
    packages = model.Session.query(model.Package).filter(
        model.Package.id.in_(ids) | model.Package.name.in_(ids)
    )
    seen: set[str] = set()
    for package in packages:
        if labels & set(checker.get_dataset_labels(package)):
            seen |= {package.id, package.name}
    return ids & seen


def _entry_of(name: str, data_dict: DataDict) -> str:
    """The id or name of the entry ``package_show``/``resource_show`` is asked about."""
    ref = str(data_dict.get("id") or data_dict.get("name") or "")
    if name == "resource_show":
        resource = model.Resource.get(ref)
        return resource.package_id if resource is not None else ""
    return ref


def _hidden_as_not_found(name: str) -> Action:
    @tk.chained_action
    def chained(up_func: Action, context: Context, data_dict: DataDict) -> Any:
        try:
            return up_func(context, data_dict)
        except tk.NotAuthorized:
            entry = _entry_of(name, data_dict)
            if entry and visible_ids(context, [entry]):
                raise  # a visible entry whose data is shared on application, say
            # The same answer as for an id that does not exist.
            raise tk.ObjectNotFound() from None

    chained.__name__ = chained.__qualname__ = name
    chained.__doc__ = (
        f"CKAN's ``{name}``; an entry the caller may not see at all is not found (404), as "
        "one that does not exist."
    )
    return chained


package_show = _hidden_as_not_found("package_show")
resource_show = _hidden_as_not_found("resource_show")


@tk.chained_action
def tag_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``tag_show``; with ``include_datasets`` only the entries the caller sees, each
    without what §6 hides from the caller."""
    result = up_func(context, data_dict)
    packages = result.get("packages") if isinstance(result, dict) else None
    if packages and not context.get("ignore_auth"):
        shown = visible_ids(context, [p.get("id") for p in packages])
        result["packages"] = [p for p in packages if p.get("id") in shown]
        redaction.for_viewer(result["packages"], context.get("user"))
    return result


def _data_visible(context: Context, package_ids: Iterable[str]) -> set[str]:
    """The ids among ``package_ids`` of entries the caller sees and may see the data of."""
    shown = visible_ids(context, package_ids)
    if context.get("ignore_auth") or not shown:
        return shown
    packages = model.Session.query(model.Package).filter(model.Package.id.in_(shown))
    entries = [(p.id, p.owner_org, (p.extras or {}).get("share_type")) for p in packages]
    return grants.granted(context.get("user"), entries)


def _page(items: list[Any], data_dict: DataDict) -> list[Any]:
    offset = tk.asint(data_dict.get("offset") or 0)
    limit = data_dict.get("limit")
    end = None if limit in (None, "") else offset + tk.asint(limit)
    return items[offset:end]


@tk.chained_action
def resource_search(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``resource_search``, finding only the resources of entries whose data the
    caller may see (catalog-model §6: not those of an entry shared on application, unless
    it is shared with the caller); ``count`` counts those."""
    if context.get("ignore_auth"):
        return up_func(context, data_dict)
    every = up_func(context, {**data_dict, "offset": None, "limit": None})
    results = every["results"]

    def package_id(resource: Any) -> str:
        return resource["package_id"] if isinstance(resource, dict) else resource.package_id

    allowed = _data_visible(context, {package_id(r) for r in results})
    kept = [r for r in results if package_id(r) in allowed]
    return {"count": len(kept), "results": _page(kept, data_dict)}


def _facet(context: Context, field: str) -> set[str]:
    """The values of ``field`` among the entries the caller sees."""
    result = tk.get_action("package_search")(
        {"user": context.get("user"), "auth_user_obj": context.get("auth_user_obj")},
        {
            "q": "*:*",
            "rows": 0,
            "facet.field": [field],
            "facet.limit": -1,
            "facet.mincount": 1,
            "include_private": True,
        },
    )
    facet = result["search_facets"].get(field) or {"items": []}
    return {item["name"] for item in facet["items"]}


def _tag_name(tag: Any) -> str:
    return tag.get("name", "") if isinstance(tag, dict) else str(tag)


def _visible_tags(context: Context, data_dict: DataDict) -> set[str] | None:
    """The keywords of the entries the caller sees; None when every tag may be listed (trusted
    callers, tags of a vocabulary, which are no entry's keywords here)."""
    if _trusted(context) or data_dict.get("vocabulary_id"):
        return None
    return _facet(context, "tags")


@tk.chained_action
def tag_list(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``tag_list``, of the keywords of entries the caller sees only."""
    visible = _visible_tags(context, data_dict)
    result = up_func(context, data_dict)
    if visible is None:
        return result
    return [tag for tag in result if _tag_name(tag) in visible]


@tk.chained_action
def tag_search(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``tag_search``, finding the keywords of entries the caller sees only; ``count``
    counts those."""
    visible = _visible_tags(context, data_dict)
    if visible is None:
        return up_func(context, data_dict)
    every = up_func(context, {**data_dict, "offset": 0, "limit": 1_000_000})
    kept = [tag for tag in every["results"] if _tag_name(tag) in visible]
    return {"count": len(kept), "results": _page(kept, data_dict)}


@tk.chained_action
def tag_autocomplete(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``tag_autocomplete``, completing with keywords of entries the caller sees."""
    visible = _visible_tags(context, data_dict)
    if visible is None:
        return up_func(context, data_dict)
    every = up_func(context, {**data_dict, "offset": 0, "limit": 1_000_000})
    kept = [tag for tag in every if _tag_name(tag) in visible]
    return kept[: tk.asint(data_dict.get("limit") or 10)]


@tk.chained_action
def format_autocomplete(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``format_autocomplete``, completing with formats of resources the caller may
    see (those of entries shared on application are not in the index's ``res_format``)."""
    if _trusted(context):
        return up_func(context, data_dict)
    visible = {f.lower() for f in _facet(context, "res_format")}
    every = up_func(context, {**data_dict, "limit": 1_000_000})
    kept = [f for f in every if f.lower() in visible]
    return kept[: tk.asint(data_dict.get("limit") or 5)]


@tk.chained_action
def member_list(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``member_list``, without the entries the caller may not see."""
    result = up_func(context, data_dict)
    if _trusted(context):
        return result
    packages = [m[0] for m in result if m[1] == "package"]
    shown = visible_ids(context, packages)
    return [m for m in result if m[1] != "package" or m[0] in shown]


#: Registers, app-wide, the answer to a search refused by ``visibility.query`` on pages that do
#: not catch it themselves (CKAN's feeds): 400, not 500.
blueprint = Blueprint("yiyang_visibility", __name__)


@blueprint.app_errorhandler(SearchQueryError)
def refused_search(error: SearchQueryError) -> tuple[str, int]:
    extra_vars = {
        "code": 400,
        "content": tk._("Invalid search query: {error_message}").format(error_message=error),
        "name": "Bad Request",
    }
    return tk.render("error_document_template.html", extra_vars), 400
