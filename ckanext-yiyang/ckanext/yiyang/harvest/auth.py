"""Harvest sources and runs are the office's: sysadmins and reviewers only (the units do not
manage harvests, as ckanext-harvest would let an organization's editors do)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import AuthFunction, Context, DataDict

from ckanext.yiyang import roles

#: ckanext-harvest's auth functions this platform restricts to the office.
RESTRICTED = (
    "harvest_source_create",
    "harvest_source_update",
    "harvest_source_delete",
    "harvest_source_clear",
    "harvest_source_reindex",
    "harvest_source_list",
    "harvest_source_show",
    "harvest_job_create",
    "harvest_job_create_all",
    "harvest_jobs_run",
    "harvest_job_abort",
    "harvest_job_list",
    "harvest_job_show",
    "harvest_object_show",
    "harvest_object_list",
    "harvest_objects_import",
    "harvest_source_show_status",
    "harvest_send_job_to_gather_queue",
    "harvest_log_list",
)


def _office_only(next_auth: AuthFunction, context: Context, data_dict: DataDict | None) -> Any:
    if roles.is_reviewer(context.get("user")):
        return {"success": True}
    return {
        "success": False,
        "msg": tk._("Only the e-government office manages harvest sources and runs"),
    }


def auth_functions() -> dict[str, Any]:
    functions = {}
    for name in RESTRICTED:

        def restricted(
            next_auth: AuthFunction, context: Context, data_dict: DataDict | None = None
        ) -> Any:
            return _office_only(next_auth, context, data_dict)

        restricted.__name__ = name
        restricted.__doc__ = "Sysadmins and the e-government office's members."
        functions[name] = tk.chained_auth_function(restricted)
    return functions
