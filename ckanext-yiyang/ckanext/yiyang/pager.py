"""CKAN's pager under a page that shows one page of a list action's answer."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.pagination import Page


def pager(result: dict[str, Any], number: int, per_page: int, endpoint: str, **kept: Any) -> Page:
    """The pager of page ``number`` of ``result`` (``results`` the page's rows, ``count`` all
    that match), ``per_page`` rows a page; its links go to ``endpoint`` with the ``kept``
    arguments (a list's filters and order) and the page's number."""

    def url(q: Any = None, page: int | None = None) -> str:
        return tk.h.url_for(endpoint, page=page, **kept)

    return Page(
        collection=result["results"],
        page=number,
        url=url,
        item_count=result["count"],
        items_per_page=per_page,
        presliced_list=True,
    )
