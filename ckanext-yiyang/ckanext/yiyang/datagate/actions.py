"""CKAN's DataStore and resource view actions, chained to return only the columns (信息项)
the caller may read (``visibility.columns``), and to tell every read (``signals``)."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.lazyjson import LazyJSONObject
from ckan.types import Action, Context, DataDict

from ckanext.yiyang.datagate import dumps, gate, signals

__all__ = ["datastore_info", "datastore_search", "resource_view_list", "resource_view_show"]


def blanket_names() -> list[str]:
    """Chain the DataStore's actions only while the ``datastore`` plugin is loaded (the
    catalog runs without it); the resource view actions are CKAN's own and always chained."""
    loaded = p.plugin_loaded("datastore")
    return [name for name in __all__ if loaded or not name.startswith("datastore_")]


def _refused(context: Context, how: str, resource_id: str, error: Exception) -> None:
    reason = getattr(error, "message", None) or ""
    if isinstance(error, tk.ValidationError):
        reason = "; ".join(str(m) for ms in (error.error_dict or {}).values() for m in ms)
    signals.send(context.get("user"), how, resource_id, signals.REFUSED, reason=str(reason))


def _count(records: Any) -> int | None:
    """How many rows ``records`` holds, in any of ``records_format``'s shapes (the API's is
    a JSON text parsed only when it is sent: parsed here)."""
    if isinstance(records, LazyJSONObject):
        records = records._loads()
    if isinstance(records, list):
        return len(records)
    if isinstance(records, str):
        return len(records.splitlines())
    return None


@tk.chained_action
@tk.side_effect_free
def datastore_search(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``datastore_search`` (its parameters unchanged), returning, filtering, sorting
    and searching only the columns the caller may read: ``fields`` defaults to those; naming
    any other column is answered as for a column that does not exist; a full-text ``q`` (text)
    or ``full_text`` is refused to a caller who may not read every column (search a column
    with ``q`` as ``{"column": "text"}``). Every read is told once by ``yiyang_data_read``,
    as the access log keeps it: a dump once with all its pages (``dumps``); a page's count of
    the rows (the preview's first call, no records) is no read.

    :param resource_id: the resource
    :type resource_id: string
    """
    how = signals.how("datastore_search")
    resource_id = str(data_dict.get("resource_id") or "")
    if context.get("ignore_auth"):
        return up_func(context, data_dict)
    try:
        refused = gate.refusal(context, resource_id)
        if refused is not None:
            raise refused
        asked = gate.restrict(gate.columns_for(context, resource_id), data_dict)
        result = up_func(context, asked)
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError) as error:
        _refused(context, how, resource_id, error)
        raise
    columns = [f["id"] for f in result.get("fields", [])]
    rows = _count(result.get("records"))
    if dumps.add(columns, rows):
        return result  # a page of a dump: the dump is told once streamed
    if how != "datastore_search" and not rows:
        return result  # a page counting the rows (the preview's first call): no read
    signals.send(context.get("user"), how, resource_id, signals.SERVED, columns=columns, rows=rows)
    return result


@tk.chained_action
@tk.side_effect_free
def datastore_info(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``datastore_info``, describing only the columns the caller may read.

    :param id: the resource
    :type id: string
    """
    if context.get("ignore_auth"):
        return up_func(context, data_dict)
    resource_id = str(data_dict.get("id") or data_dict.get("resource_id") or "")
    try:
        refused = gate.refusal(context, resource_id)
        if refused is not None:
            raise refused
        result = up_func(context, data_dict)
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError) as error:
        _refused(context, "datastore_info", resource_id, error)
        raise
    fields = result.get("fields") or []
    cols = gate.columns_for(context, resource_id, [f["id"] for f in fields])
    result["fields"] = [f for f in fields if f["id"] in cols.allowed]
    signals.send(
        context.get("user"),
        "datastore_info",
        resource_id,
        signals.SERVED,
        columns=[f["id"] for f in result["fields"]],
    )
    return result


def _view_cut(context: Context, view: dict[str, Any]) -> dict[str, Any]:
    """A resource view without the names of columns the caller may not read (its shown
    columns, its filters)."""
    resource_id = str(view.get("resource_id") or "")
    named = list(view.get("show_fields") or []) + list((view.get("filters") or {}).keys())
    if context.get("ignore_auth") or not named:
        return view
    cols = gate.columns_for(context, resource_id)
    if not cols.limited:
        return view
    allowed = set(cols.allowed)
    if "show_fields" in view:
        view["show_fields"] = [f for f in view["show_fields"] or [] if f in allowed]
    if isinstance(view.get("filters"), dict):
        view["filters"] = {k: v for k, v in view["filters"].items() if k in allowed}
    return view


@tk.chained_action
@tk.side_effect_free
def resource_view_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``resource_view_show``, naming only the columns the caller may read.

    :param id: the view
    :type id: string
    """
    return _view_cut(context, up_func(context, data_dict))


@tk.chained_action
@tk.side_effect_free
def resource_view_list(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``resource_view_list``, each view naming only the columns the caller may read.

    :param id: the resource
    :type id: string
    """
    return [_view_cut(context, view) for view in up_func(context, data_dict)]
