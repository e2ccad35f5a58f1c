"""When an entry's 信息项 change (an update, or the publication of a working copy), its loaded
tables are compared again and their data dictionaries rewritten — in a job."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import SignalMapping

from ckanext.yiyang.data import model


def get_subscriptions() -> SignalMapping:
    return {
        tk.signals.action_succeeded: [
            {"sender": "package_update", "receiver": items_changed},
            {"sender": "package_patch", "receiver": items_changed},
            {"sender": "yiyang_review_approve", "receiver": items_changed},
        ]
    }


def items_changed(sender: str, **kwargs: Any) -> None:
    data = kwargs.get("data_dict") or {}
    package_id = data.get("id") or data.get("name") or data.get("dataset_id")
    if not package_id:
        return
    from ckan import model as ckan_model

    package = ckan_model.Package.get(str(package_id))
    if package is None or not model.consistency_of(package.id):
        return
    tk.enqueue_job(recheck, [package.id], title=f"yiyang data recheck {package.id}")


def recheck(package_id: str) -> None:
    """The job: compare each loaded resource of the entry again and rewrite its dictionary."""
    from ckanext.yiyang.data import consistency, dictionary
    from ckanext.yiyang.imports.common import request_context

    with request_context():
        for row in model.consistency_of(package_id):
            consistency.check(row.resource_id)
            dictionary.apply(row.resource_id)
