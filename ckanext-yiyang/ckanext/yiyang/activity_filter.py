"""The activity streams follow §6 too: a partly public entry's activities carry the whole
entry, so outsiders get them without its non-public 信息项 (which entries an activity is
shown for at all is already decided by the activities' permission labels)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.yiyang import visibility


def _outsider(context: Context) -> bool:
    return not context.get("ignore_auth") and not visibility.viewer_is_government(
        context.get("user")
    )


def _package(activity: Any) -> dict[str, Any] | None:
    package = (activity.get("data") or {}).get("package") if isinstance(activity, dict) else None
    return package if isinstance(package, dict) else None


def _clean(activities: list[Any], context: Context) -> None:
    """Non-public items for outsiders; the data resources of entries whose data the viewer
    may not see (catalog-model §6, last paragraph)."""
    if context.get("ignore_auth"):
        return
    packages = [p for p in (_package(a) for a in activities) if p is not None]
    if _outsider(context):
        for package in packages:
            visibility.hide_non_public_items(package)
    visibility.hide_resources(packages, context.get("user"))


def _filtered(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    result = up_func(context, data_dict)
    _clean(result if isinstance(result, list) else [result], context)
    return result


def _filtering(name: str) -> Action:
    """A chained version of CKAN's activity action ``name`` whose result is filtered."""

    @tk.chained_action
    def chained(up_func: Action, context: Context, data_dict: DataDict) -> Any:
        return _filtered(up_func, context, data_dict)

    chained.__name__ = chained.__qualname__ = name
    chained.__doc__ = f"CKAN's ``{name}``, without what §6 hides from the caller."
    return chained


# Every activity action that returns whole activities (their data carries the entry).
_FILTERED = (
    "package_activity_list",
    "recently_changed_packages_activity_list",
    "organization_activity_list",
    "group_activity_list",
    "user_activity_list",
    "dashboard_activity_list",
    "activity_show",
)
globals().update({name: _filtering(name) for name in _FILTERED})
__all__ = [*_FILTERED, "activity_data_show", "activity_diff"]


@tk.chained_action
def activity_data_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's, with a partly public entry shown to outsiders without its non-public items."""
    result = up_func(context, data_dict)
    if isinstance(result, dict) and not context.get("ignore_auth"):
        package = result.get("package") or result
        if _outsider(context):
            visibility.hide_non_public_items(package)
        visibility.hide_resources([package], context.get("user"))
    return result


@tk.chained_action
def activity_diff(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Refused to outsiders for partly public entries, and to viewers who may not see an
    entry's data resources: a diff would show what is hidden from them."""
    result = up_func(context, data_dict)
    if context.get("ignore_auth"):
        return result
    for activity in result.get("activities", []):
        package = (activity.get("data") or {}).get("package") or {}
        if _outsider(context) and package.get("disclosure_scope") == "partial":
            raise tk.NotAuthorized(tk._("The changes of this entry are not public"))
        # a diff would show the data resources the viewer may not see
        kept = [dict(package, resources=list(package.get("resources") or []))]
        visibility.hide_resources(kept, context.get("user"))
        if package.get("resources") and not kept[0]["resources"]:
            raise tk.NotAuthorized(tk._("The data of this entry is shared on application"))
    return result
