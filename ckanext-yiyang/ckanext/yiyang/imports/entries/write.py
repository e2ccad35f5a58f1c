"""A planned row of 附件3 written through the catalog's own actions, in the import's transaction.

A new row is ``package_create`` (review state 草稿: the unit submits it); a changed row is
``package_update`` of the stored entry with the row's values — for a published entry that is
the review's working copy, as in the form. The context says ``defer_commit``: the import
commits once after its last row, and indexes what it wrote after that commit.
"""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.yiyang.catalog.validation import DATASET_TYPE
from ckanext.yiyang.imports.common import Planned, write_context
from ckanext.yiyang.imports.entries.plan import merged
from ckanext.yiyang.review import workflow


def write(user: str, planned: Planned) -> str:
    """Write ``planned`` as ``user``; the entry's name. ``planned.target`` becomes the id of
    the entry written (the one to index)."""
    if planned.action == "create":
        # the id only: the entry is shown (and indexed) once the import has committed
        entry_id = tk.get_action("package_create")(
            {**write_context(user), "return_id_only": True},
            {**planned.data, "type": DATASET_TYPE},
        )
        created = model.Package.get(entry_id)
        assert created is not None
        planned.target = created.id
        return created.name
    package = model.Package.get(planned.target or "")
    assert package is not None
    tk.get_action("package_update")(_update_context(user, package), merged(package, planned.data))
    return package.name


def _update_context(user: str, package: model.Package) -> Any:
    """CKAN 2.12's ``package_update`` told ``defer_commit`` rolls its own savepoint back (the
    change is lost) unless it may return at once with the id (``return_id_only``), which also
    skips its note of the changed entry that the activity stream reads: the note is given
    here, for an entry the update changes (a published one only gets a working copy)."""
    context: dict[str, Any] = {**write_context(user), "return_id_only": True}
    if workflow.status_of(package) != workflow.PUBLISHED:
        context["changed_entities"] = {"packages": {package.id}}
    return context
