"""Harvested entries are read-only here: only their harvest changes them.

They follow their source (changed there, changed here; gone there, withdrawn here), so an edit,
a deletion or a review step here would be overwritten or contradict the source. The review
workflow does not apply to them: they are published as their source published them.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Action, Context, DataDict

from ckanext.yiyang.harvest.harvester import harvested_from


def _refuse_harvested(context: Context, data_dict: DataDict) -> None:
    if context.get("yiyang_harvest"):
        return
    ref = data_dict.get("id") or data_dict.get("name") or ""
    package = model.Package.get(str(ref)) if ref else None
    source = harvested_from(package)
    if source:
        raise tk.ValidationError(
            {
                "harvest": [
                    tk._(
                        "This entry was harvested from {source}: it is read-only here and "
                        "changes only with its source"
                    ).format(source=source)
                ]
            }
        )


def _resource_package(data_dict: DataDict) -> DataDict:
    resource = model.Resource.get(str(data_dict.get("id") or ""))
    return {"id": resource.package_id} if resource is not None else {}


@tk.chained_action
def package_update(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Refuses a change of a harvested entry by anyone but its harvest."""
    _refuse_harvested(context, data_dict)
    return up_func(context, data_dict)


@tk.chained_action
def package_patch(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Refuses a change of a harvested entry by anyone but its harvest."""
    _refuse_harvested(context, data_dict)
    return up_func(context, data_dict)


@tk.chained_action
def package_delete(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Refuses the deletion of a harvested entry (its source's deletion withdraws it)."""
    _refuse_harvested(context, data_dict)
    return up_func(context, data_dict)


@tk.chained_action
def resource_create(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Refuses a new resource on a harvested entry."""
    _refuse_harvested(context, {"id": data_dict.get("package_id")})
    return up_func(context, data_dict)


@tk.chained_action
def resource_update(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Refuses a change of a resource of a harvested entry."""
    _refuse_harvested(context, _resource_package(data_dict))
    return up_func(context, data_dict)


@tk.chained_action
def resource_delete(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Refuses the deletion of a resource of a harvested entry."""
    _refuse_harvested(context, _resource_package(data_dict))
    return up_func(context, data_dict)


def _review_step(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    _refuse_harvested(context, data_dict)
    return up_func(context, data_dict)


@tk.chained_action
def yiyang_review_submit(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Refused for a harvested entry: the review workflow does not apply to it."""
    return _review_step(up_func, context, data_dict)


@tk.chained_action
def yiyang_review_approve(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Refused for a harvested entry: the review workflow does not apply to it."""
    return _review_step(up_func, context, data_dict)


@tk.chained_action
def yiyang_review_return(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Refused for a harvested entry: the review workflow does not apply to it."""
    return _review_step(up_func, context, data_dict)


@tk.chained_action
def yiyang_review_withdraw(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Refused for a harvested entry: it is withdrawn when its source withdraws it."""
    return _review_step(up_func, context, data_dict)
