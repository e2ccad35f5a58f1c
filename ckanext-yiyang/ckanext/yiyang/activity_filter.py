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


def _clean(activity: Any) -> Any:
    package = (activity.get("data") or {}).get("package") if isinstance(activity, dict) else None
    if isinstance(package, dict):
        visibility.hide_non_public_items(package)
    return activity


def _filtered(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    result = up_func(context, data_dict)
    if _outsider(context):
        for activity in result if isinstance(result, list) else [result]:
            _clean(activity)
    return result


@tk.chained_action
def package_activity_list(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's, with partly public entries shown to outsiders without their non-public items."""
    return _filtered(up_func, context, data_dict)


@tk.chained_action
def recently_changed_packages_activity_list(
    up_func: Action, context: Context, data_dict: DataDict
) -> Any:
    """CKAN's, with partly public entries shown to outsiders without their non-public items."""
    return _filtered(up_func, context, data_dict)


@tk.chained_action
def organization_activity_list(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's, with partly public entries shown to outsiders without their non-public items."""
    return _filtered(up_func, context, data_dict)


@tk.chained_action
def group_activity_list(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's, with partly public entries shown to outsiders without their non-public items."""
    return _filtered(up_func, context, data_dict)


@tk.chained_action
def user_activity_list(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's, with partly public entries shown to outsiders without their non-public items."""
    return _filtered(up_func, context, data_dict)


@tk.chained_action
def dashboard_activity_list(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's, with partly public entries shown to outsiders without their non-public items."""
    return _filtered(up_func, context, data_dict)


@tk.chained_action
def activity_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's, with a partly public entry shown to outsiders without its non-public items."""
    return _filtered(up_func, context, data_dict)


@tk.chained_action
def activity_data_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's, with a partly public entry shown to outsiders without its non-public items."""
    result = up_func(context, data_dict)
    if _outsider(context) and isinstance(result, dict):
        visibility.hide_non_public_items(result.get("package") or result)
    return result


@tk.chained_action
def activity_diff(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Refused to outsiders for partly public entries: a diff would show the hidden items."""
    result = up_func(context, data_dict)
    if _outsider(context):
        for activity in result.get("activities", []):
            package = (activity.get("data") or {}).get("package") or {}
            if package.get("disclosure_scope") == "partial":
                raise tk.NotAuthorized(tk._("The changes of this entry are not public"))
    return result
