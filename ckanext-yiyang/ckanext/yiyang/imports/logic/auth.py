"""Who may use the import actions."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.yiyang import roles
from ckanext.yiyang.logic.auth import allow

__all__ = [
    "yiyang_import_create",
    "yiyang_import_list",
    "yiyang_import_run",
    "yiyang_import_show",
]


def _own(context: Context, data_dict: DataDict) -> bool:
    me = roles.person(context.get("user")).id
    return me is not None and me == data_dict.get("user_id")


def yiyang_import_create(context: Context, data_dict: DataDict) -> AuthResult:
    """Users who belong to a unit (they import for it), sysadmins. What each row may do is
    decided row by row by the catalog's own auth (editors and admins of the unit)."""
    user = context.get("user")
    ok = roles.is_sysadmin(user) or bool(roles.units_of(user))
    return allow(ok, tk._("Only the users of a unit can import survey workbooks"))


def yiyang_import_show(context: Context, data_dict: DataDict) -> AuthResult:
    """The user who uploaded it, reviewers, sysadmins."""
    ok = _own(context, data_dict) or roles.is_reviewer(context.get("user"))
    return allow(ok, tk._("Only the user who uploaded it can see this import"))


def yiyang_import_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Logged-in users (their own imports; reviewers and sysadmins may list all)."""
    return allow(bool(context.get("user")), tk._("Log in to see your imports"))


def yiyang_import_run(context: Context, data_dict: DataDict) -> AuthResult:
    """The user who uploaded it (the import writes as that user), sysadmins."""
    ok = _own(context, data_dict) or roles.is_sysadmin(context.get("user"))
    return allow(ok, tk._("Only the user who uploaded it can import this workbook"))
