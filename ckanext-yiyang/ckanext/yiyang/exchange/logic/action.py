"""ckanext-dcat's actions, chained so that DCAT shows what the exchange shows
(``exchange.search``): the entry endpoints only published entries that are disclosed to
someone, the catalog endpoints only those, and each what the caller may see of it (§6)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict
from ckanext.dcat.logic import _pagination_info
from ckanext.dcat.processors import RDFSerializer

from ckanext.yiyang.exchange import search

__all__ = ["dcat_catalog_search", "dcat_catalog_show", "dcat_dataset_show"]


def entry_for_export(context: Context, entry_id: str) -> dict[str, Any]:
    """``package_show`` of an entry as the caller sees it, "not found" unless exported."""
    pkg_dict = tk.get_action("package_show")(dict(context), {"id": entry_id})
    if not search.exported(pkg_dict):
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return pkg_dict


@tk.chained_action
def dcat_dataset_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """The entry ``id`` in DCAT (``format``: xml, ttl, jsonld, n3), if it is published and the
    caller may see it."""
    tk.check_access("dcat_dataset_show", context, data_dict)
    pkg_dict = entry_for_export(context, tk.get_or_bust(data_dict, "id"))
    serializer = RDFSerializer(profiles=data_dict.get("profiles"))
    return serializer.serialize_dataset(pkg_dict, _format=data_dict.get("format"))


def _catalog(context: Context, data_dict: DataDict) -> Any:
    query = search.search(context, data_dict)
    serializer = RDFSerializer(profiles=data_dict.get("profiles"))
    return serializer.serialize_catalog(
        {},
        query["results"],
        _format=data_dict.get("format"),
        pagination_info=_pagination_info(query, data_dict),
    )


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_show(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """One page of the catalog in DCAT: the published entries the caller may see."""
    tk.check_access("dcat_catalog_show", context, data_dict)
    return _catalog(context, data_dict)


@tk.chained_action
@tk.side_effect_free
def dcat_catalog_search(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """As ``dcat_catalog_show``."""
    tk.check_access("dcat_catalog_search", context, data_dict)
    return _catalog(context, data_dict)


def blanket_active() -> bool:
    """These chain the actions of ckanext-dcat's ``dcat`` plugin: only with it loaded."""
    import ckan.plugins as p

    return p.plugin_loaded("dcat")
