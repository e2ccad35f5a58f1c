"""What the catalog leaves out of stock CKAN: its groups (群组). Units are the catalog's only
way of grouping entries; CKAN's group pages, the entry's 群组 tab, the dashboard's and the
user's group lists would offer a second one nobody maintains, so they answer 404."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import request

# The pages of CKAN's groups outside the ``group`` blueprint.
GROUP_ENDPOINTS = frozenset(
    {
        "dataset.groups",
        "dashboard.groups",
        "user.read_groups",
        "activity.group_activity",
        "activity.group_changes",
        "activity.group_changes_multiple",
    }
)


def refuse_group_pages() -> None:
    """A ``before_request`` of the Flask app: 404 for the pages of CKAN's groups."""
    if request.blueprint == "group" or request.endpoint in GROUP_ENDPOINTS:
        tk.abort(404, tk._("This portal has no groups: entries are grouped by their units"))
