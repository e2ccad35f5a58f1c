"""What the entry page shows of an entry's data (issue 13 point 7): for each table the reader
may read, its preview, its columns (信息项) with their descriptions, and the API call to read
it — in curl and ckanapi, naming the resource and only the columns the reader may read, with
a placeholder for the reader's API token."""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.yiyang.datagate import gate
from ckanext.yiyang.visibility import columns as rule
from ckanext.yiyang.visibility import viewer

__all__ = ["yiyang_data_access"]


def _examples(resource_id: str, fields: list[str]) -> dict[str, str]:
    site = tk.config.get("ckan.site_url") or ""
    token = tk._("YOUR-API-TOKEN")
    body = json.dumps(
        {"resource_id": resource_id, "fields": fields, "limit": 5}, ensure_ascii=False
    )
    curl = (
        f"curl -X POST {site}/api/3/action/datastore_search \\\n"
        f'  -H "Authorization: {token}" -H "Content-Type: application/json" \\\n'
        f"  -d '{body}'"
    )
    ckanapi = (
        f"ckanapi action datastore_search -r {site} -a {token} \\\n"
        f"  resource_id={resource_id} fields:'{json.dumps(fields, ensure_ascii=False)}' limit=5"
    )
    return {"curl": curl, "ckanapi": ckanapi}


def yiyang_data_access(pkg_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """The tables of the entry ``pkg_dict`` the current reader may read (loaded into the
    DataStore): ``id``, ``name``, ``view_id`` (its datatables preview, if any), ``columns``
    (``id``, ``description``), ``curl``, ``ckanapi``."""
    user = viewer.current_user_name()
    context = {"user": user or ""}
    package = model.Package.get(pkg_dict.get("id") or "")
    if package is None:
        return []
    items = {i["name"]: i for i in rule.data_items(package)}
    tables = []
    for resource in pkg_dict.get("resources") or []:
        if not resource.get("datastore_active") or gate.refusal(context, resource["id"]):
            continue
        cols = gate.columns_for(context, resource["id"])
        fields = [c for c in cols.allowed if c != rule.ROW_ID]
        view = (
            model.Session.query(model.ResourceView.id)
            .filter_by(resource_id=resource["id"], view_type="datatables_view")
            .order_by(model.ResourceView.order)
            .first()
        )
        tables.append(
            {
                "id": resource["id"],
                "name": resource.get("name") or resource["id"],
                "view_id": view[0] if view else None,
                "columns": [
                    {"id": c, "description": (items.get(c) or {}).get("description") or ""}
                    for c in fields
                ],
                **_examples(resource["id"], fields),
            }
        )
    return tables
