"""Who may use the desk."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.yiyang import roles
from ckanext.yiyang.logic.auth import allow


def yiyang_desk_show(context: Context, data_dict: DataDict) -> AuthResult:
    """Logged-in users: each sees what waits for them."""
    return allow(bool(context.get("user")), tk._("Log in to see your to-do list"))


def yiyang_review_submit_many(context: Context, data_dict: DataDict) -> AuthResult:
    """The editors and admins of a unit (each entry is checked as ``yiyang_review_submit``);
    sysadmins."""
    user = context.get("user")
    ok = roles.is_sysadmin(user) or bool(roles.units_of(user, "update_dataset"))
    return allow(ok, tk._("Only the unit's editors and admins can submit its entries"))
