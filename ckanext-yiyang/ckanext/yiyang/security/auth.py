"""Auth functions that guard core's (issue 11 point 12)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthFunction, AuthResult, Context, DataDict

__all__ = ["package_collaborator_list"]


@tk.chained_auth_function
@tk.auth_disallow_anonymous_access
def package_collaborator_list(
    next_auth: AuthFunction, context: Context, data_dict: DataDict
) -> AuthResult:
    """Logged-in users only: core's asserts a user and a dataset (an anonymous call was a 500).
    Then core's rule: who may manage the entry's collaborators."""
    from ckan import model

    user = model.User.get(context.get("user") or "")
    package = model.Package.get(str(data_dict.get("id") or ""))
    if user is None or package is None:
        return {"success": False, "msg": tk._("Not authorized to see this page")}
    return next_auth(context, data_dict)
