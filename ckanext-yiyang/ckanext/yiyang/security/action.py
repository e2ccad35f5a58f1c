"""Core actions guarded before the catalog's own chain runs (issue 11 point 12)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.yiyang.logic import transaction
from ckanext.yiyang.logic.schema import flag, validate
from ckanext.yiyang.security import limits

__all__ = ["package_collaborator_list", "package_create", "package_show", "package_update"]

# Flags core reads with ``asbool``, which raises (a 500) on anything but a boolean's words.
SHOW_FLAGS = ("include_plugin_data", "use_default_schema")


@tk.chained_action
def package_create(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Refuses values over the field limits and unsafe resource addresses before anything is
    written or a resource code taken."""
    limits.check(data_dict)
    return up_func(context, data_dict)


@tk.chained_action
def package_update(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """The same limits for a change (a resource's creation or change is one)."""
    limits.check(data_dict)
    return up_func(context, data_dict)


@tk.chained_action
@tk.side_effect_free
def package_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Core's, with its flags checked first: ``maybe`` is refused, not a 500. During a bulk
    write the entries are not in the index yet: no index lookup (it can only miss)."""
    if transaction.writing_unindexed():
        context.setdefault("use_cache", False)
    given = {key: data_dict[key] for key in SHOW_FLAGS if key in data_dict}
    if given:
        checked = validate(given, {key: [flag()] for key in given}, context)
        data_dict = {**data_dict, **{key: checked[key] for key in given}}
    return up_func(context, data_dict)


@tk.chained_action
@tk.side_effect_free
def package_collaborator_list(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Core's, with ``id`` checked to be one text first: core looks a list up as a composite
    key and answers 500 (found by the fuzz run of 18,960 cases, benchmarks/fuzz.py)."""
    if not isinstance(data_dict.get("id"), str):
        raise tk.ValidationError({"id": [tk._("Missing value")]})
    return up_func(context, data_dict)
