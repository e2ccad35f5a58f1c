"""The activity streams follow §6 too. Which entries an activity is shown for at all is
decided by the activities' permission labels (``labels``); an activity carries the whole entry
as it was, so what the viewer may not see of it is cut out here: the non-public 信息项 of a
partly public entry for outsiders, the data resources of an entry the viewer may not see the
data of."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.yiyang.visibility import guard, redaction, viewer


def _package(activity: Any) -> dict[str, Any] | None:
    package = (activity.get("data") or {}).get("package") if isinstance(activity, dict) else None
    return package if isinstance(package, dict) else None


def _unit(activity: Any) -> dict[str, Any] | None:
    group = (activity.get("data") or {}).get("group") if isinstance(activity, dict) else None
    return group if isinstance(group, dict) else None


def _clean(activities: list[Any], context: Context) -> None:
    if context.get("ignore_auth"):
        return
    packages = [p for p in (_package(a) for a in activities) if p is not None]
    redaction.for_viewer(packages, context.get("user"))
    if not redaction.sees_contact_details(context):
        for unit in (u for u in (_unit(a) for a in activities) if u is not None):
            redaction.unit_for_outsider(unit)


def _filtering(name: str) -> Action:
    """A chained version of CKAN's activity action ``name`` whose result is filtered."""

    @tk.chained_action
    def chained(up_func: Action, context: Context, data_dict: DataDict) -> Any:
        if name == "activity_show":
            # CKAN's auth function reads the flag without a default (a KeyError: 500)
            data_dict = {**data_dict, "include_data": tk.asbool(data_dict.get("include_data"))}
        try:
            result = up_func(context, data_dict)
        except tk.NotAuthorized:
            entry = str(data_dict.get("id") or "")
            if name == "package_activity_list" and not guard.visible_ids(context, [entry]):
                raise tk.ObjectNotFound() from None  # as for an entry that does not exist
            raise
        _clean(result if isinstance(result, list) else [result], context)
        return result

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
    """CKAN's, with a partly public entry shown to outsiders without its non-public items,
    and a unit without its contacts' phone numbers and e-mail addresses."""
    result = up_func(context, data_dict)
    if isinstance(result, dict) and not context.get("ignore_auth"):
        if not redaction.sees_contact_details(context):
            redaction.unit_for_outsider(result)  # an activity of a unit: its contacts
        redaction.for_viewer([result.get("package") or result], context.get("user"))
    return result


@tk.chained_action
def activity_diff(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Refused to outsiders for partly public entries, and to viewers who may not see an
    entry's data resources: a diff would show what is hidden from them."""
    result = up_func(context, data_dict)
    if context.get("ignore_auth"):
        return result
    user = context.get("user")
    for activity in result.get("activities", []):
        if _unit(activity) is not None and not redaction.sees_contact_details(context):
            raise tk.NotAuthorized(tk._("The changes of this unit are not public"))
        package = (activity.get("data") or {}).get("package") or {}
        if package.get("disclosure_scope") == "partial" and not viewer.is_government(user):
            raise tk.NotAuthorized(tk._("The changes of this entry are not public"))
        if package.get("resources") and redaction.data_hidden([package], user)[0]:
            raise tk.NotAuthorized(tk._("The data of this entry is shared on application"))
    return result
