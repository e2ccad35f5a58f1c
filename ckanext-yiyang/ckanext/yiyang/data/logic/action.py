"""Actions of the data attached to entries: load and service state, consistency, adoption of a
file's columns as 信息项, reloading."""

from __future__ import annotations

from typing import Any

import ckan.model as ckan_model
import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.yiyang.data import consistency, load, model
from ckanext.yiyang.data.logic import schema
from ckanext.yiyang.logic.schema import validate


def _package(context: Context, id_or_name: str) -> dict[str, Any]:
    return tk.get_action("package_show")(
        {"ignore_auth": True, "user": context.get("user")}, {"id": id_or_name}
    )


def _package_id(id_or_name: str) -> str:
    """The id of the entry ``id_or_name`` (the read actions need no more than that: their auth
    function has checked the caller may see it; an entry page asks for both on each view)."""
    package = ckan_model.Package.get(id_or_name)
    if package is None:
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return package.id


@tk.side_effect_free
def yiyang_data_status_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The state of an entry's data, per resource: its load into the DataStore (``pending``,
    ``loading`` with the rows being loaded, ``done`` with the rows, ``error`` with the Chinese
    message) and, for a data service, its last connectivity check.

    :param id: id or name of the entry
    :type id: string

    :returns: ``{"resources": [{resource_id, load_state, load_rows, load_error, load_encoding,
        load_updated, service_status, service_latency_ms, service_error,
        service_checked_at}]}``
    :rtype: dict
    """
    data = validate(data_dict, schema.dataset_id_schema(), context)
    tk.check_access("yiyang_data_status_show", context, data)
    return {"resources": [row.as_dict() for row in model.states_of(_package_id(data["id"]))]}


@tk.side_effect_free
def yiyang_data_consistency_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """目录与数据一致性 of an entry: per loaded resource, its columns compared with the entry's
    信息项 (name, data type, length) after the last load or change of 信息项.

    :param id: id or name of the entry
    :type id: string

    :returns: ``{"status": "consistent" | "differs" | "unchecked", "resources": [{resource_id,
        checked_at, status, differences: [{item, problem, declared, found, message}],
        columns}]}``; problems: ``missing_column``, ``undeclared_column``, ``type``,
        ``length``
    :rtype: dict
    """
    data = validate(data_dict, schema.dataset_id_schema(), context)
    tk.check_access("yiyang_data_consistency_show", context, data)
    rows = [row.as_dict() for row in model.consistency_of(_package_id(data["id"]))]
    for row in rows:
        row["differences"] = [
            {**difference, "message": consistency.describe(difference)}
            for difference in row["differences"]
        ]
    status = "unchecked"
    if rows:
        status = "differs" if any(r["status"] == "differs" for r in rows) else "consistent"
    return {"status": status, "resources": rows}


def yiyang_data_items_adopt(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Make a loaded file's columns the entry's 信息项 (name, data type, length; descriptions,
    units and 公开范围 of items of the same name are kept). The change goes through
    ``package_patch`` as the caller: a draft changes, a published entry gets a working copy
    that goes through review like any other change.

    :param resource_id: id of a loaded resource of the entry
    :type resource_id: string

    :returns: the entry as ``package_show`` gives it to the caller
    :rtype: dict
    """
    data = validate(data_dict, schema.resource_id_schema(), context)
    tk.check_access("yiyang_data_items_adopt", context, data)
    found = model.consistency(data["resource_id"])
    if found is None:
        raise tk.ValidationError(
            {
                "resource_id": [
                    tk._("This resource has no loaded data whose columns could be adopted")
                ]
            }
        )
    package = _package(context, found.package_id)
    old = {(item.get("name") or "").strip(): item for item in package.get("data_items") or []}
    items = []
    for column in found.columns:
        item = {
            k: v
            for k, v in (old.get(column["id"]) or {}).items()
            if k in ("description", "unit", "disclosure_scope") and v
        }
        item["name"] = column["id"]
        item["data_type"] = column["type"]
        if column["type"] in ("string", "binary"):
            item["length"] = max(int(column.get("length") or 0), 1)
        items.append(item)
    return tk.get_action("package_patch")(
        {"user": context.get("user")}, {"id": package["id"], "data_items": items}
    )


def yiyang_data_load(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Load a resource's file into the DataStore again (in the background).

    :param resource_id: id of the resource
    :type resource_id: string

    :returns: the resource's data state (``load_state`` ``pending``)
    :rtype: dict
    """
    data = validate(data_dict, schema.resource_id_schema(), context)
    tk.check_access("yiyang_data_load", context, data)
    resource = tk.get_action("resource_show")({"ignore_auth": True}, {"id": data["resource_id"]})
    from ckanext.yiyang.data import files

    if files.kind_of(resource) is None:
        raise tk.ValidationError(
            {"resource_id": [tk._("Only CSV, XLSX and JSON files are loaded into the DataStore")]}
        )
    load.enqueue(resource)
    state = model.state(resource["id"])
    return state.as_dict() if state else {}
