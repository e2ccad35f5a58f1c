"""Which entries an exchange (DCAT, GB/T 21063 XML) shows a viewer: published entries that
are disclosed to someone (not ``undisclosed``) and that the viewer sees (catalog-model §6) —
so anonymous readers get the public ones (partial ones cut by ``visibility.redaction``), a
government user or token the internal ones too; drafts, entries under review, withdrawn and
deleted entries never. The search and ``package_show`` apply §6 for the viewer; this module
only narrows what they return to the published catalog.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict
from dateutil.parser import parse as parse_date

from ckanext.yiyang.visibility.labels import DATASET_TYPE, PUBLISHED

#: Entries per page of the catalog endpoints (``ckanext.dcat.datasets_per_page``).
DEFAULT_PER_PAGE = 100
EXPORTED_FQ = [
    f"+dataset_type:{DATASET_TYPE}",
    f"+review_status:{PUBLISHED}",
    "-disclosure_scope:undisclosed",
]


def exported(pkg_dict: dict[str, Any]) -> bool:
    """The entry belongs in the exchange (whoever reads it)."""
    return (
        pkg_dict.get("type") == DATASET_TYPE
        and pkg_dict.get("state") == "active"
        and pkg_dict.get("review_status") == PUBLISHED
        and pkg_dict.get("disclosure_scope") != "undisclosed"
    )


def per_page() -> int:
    return tk.asint(tk.config.get("ckanext.dcat.datasets_per_page") or DEFAULT_PER_PAGE)


def page_number(value: Any) -> int:
    try:
        page = int(value or 1)
    except (TypeError, ValueError):
        page = 0
    if page < 1:
        raise tk.ValidationError({"page": [tk._("Must be a whole number from 1")]})
    return page


def modified_filter(value: Any) -> str | None:
    """The Solr filter of ``modified_since`` (ISO 8601), None without it."""
    if not value:
        return None
    try:
        since = parse_date(str(value)).replace(tzinfo=None).isoformat()
    except (ValueError, OverflowError):
        raise tk.ValidationError(
            {"modified_since": [tk._("Not a date: give it as ISO 8601, e.g. 2026-01-31")]}
        ) from None
    return f"metadata_modified:[{since}Z TO *]"


def search(context: Context, data_dict: DataDict, rows: int | None = None) -> dict[str, Any]:
    """One page (``page``, from 1) of the exported entries the caller sees, newest change
    first, optionally changed since ``modified_since`` and matching ``q``/``fq``; the
    ``package_search`` result."""
    rows = rows or per_page()
    page = page_number(data_dict.get("page"))
    fq_list = list(EXPORTED_FQ)
    since = modified_filter(data_dict.get("modified_since"))
    if since:
        fq_list.append(since)
    params = {
        "q": data_dict.get("q") or "*:*",
        "fq": data_dict.get("fq") or "",
        "fq_list": fq_list,
        "rows": rows,
        "start": rows * (page - 1),
        "sort": "metadata_modified desc",
        "include_private": True,
    }
    return tk.get_action("package_search")(dict(context), params)


def every_entry(context: Context, data_dict: DataDict) -> Iterator[dict[str, Any]]:
    """All exported entries the caller sees, page by page (for the streamed exports)."""
    page = 1
    while True:
        result = search(context, {**data_dict, "page": page})
        yield from result["results"]
        if page * per_page() >= result["count"] or not result["results"]:
            return
        page += 1
