"""The download link of a resource without a safe address answers 404 (issue 11 point 12).

CKAN's ``resource.download`` redirects to the resource's address when it is not an upload: to
a ``javascript:`` address, or — once such an address is hidden (an empty one) — into a
500 building a URL of nothing.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Flask, request

from ckanext.yiyang.security import limits


def refuse_unsafe_download() -> None:
    if not (request.endpoint or "").endswith("resource.download"):
        return
    from ckan import model

    resource = model.Resource.get(str((request.view_args or {}).get("resource_id") or ""))
    if resource is None or resource.url_type == "upload":
        return  # CKAN answers these itself
    if not resource.url or not limits.safe_url(resource.url):
        tk.abort(404, tk._("Resource not found"))


def install(app: Flask) -> None:
    app.before_request(refuse_unsafe_download)
