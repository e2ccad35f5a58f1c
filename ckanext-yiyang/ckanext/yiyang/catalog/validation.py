"""The one check of a catalog entry that the actions, the review and the imports make before
they write: scheming's schema with our validators, run as ``package_create`` or
``package_update`` would run it, without writing.

``package_create`` checks a new entry before it takes a number (so a refused form or import row
leaves no gap in its category's sequence); a change of a published entry is checked with every
rule before it is kept as a working copy; an import checks every row before it writes any.
"""

from __future__ import annotations

from typing import Any

from ckan import model
from ckan.lib import plugins as lib_plugins
from ckan.types import Context

from ckanext.yiyang.catalog import codes

DATASET_TYPE = "dataset"


def validate(
    context: Context, data: dict[str, Any], package: model.Package | None = None
) -> dict[str, Any]:
    """The errors ``package_create`` (no ``package``) or ``package_update`` of ``package``
    would raise for ``data`` ({} when there are none); nothing is written.

    A new entry is checked as a draft whose system fields are not decided yet (its name and
    code come after the check); a stored entry is checked as active, with every rule, and its
    system fields are the stored ones.
    """
    plugin = lib_plugins.lookup_package_plugin(DATASET_TYPE)
    if package is None:
        schema = context.get("schema") or plugin.create_package_schema()
        trial: Context = {
            **context,
            "yiyang_system": {"metadata_id": "-", "review_status": "draft"},
        }
        trial_data = {
            **data,
            "type": DATASET_TYPE,
            "name": data.get("name") or codes.name_placeholder(),
        }
        action = "package_create"
    else:
        schema = context.get("schema") or plugin.update_package_schema()
        trial = {**context, "package": package}
        trial_data = {**data, "type": package.type, "state": "active"}
        action = "package_update"
    _data, errors = lib_plugins.plugin_validate(plugin, trial, trial_data, schema, action)
    return errors
