"""Who may manage the data service accounts: a unit's admins those of their unit, sysadmins
all; the office's reviewers may list them all. Anonymous visitors are refused by CKAN itself.

And two of core's auth functions guarded: nobody but a sysadmin updates a service account's
user (a password would open the web login) or gives it another token (one past its expiry,
rate limit and revocation) — its one token is made by ``yiyang_service_account_create``.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthFunction, AuthResult, Context, DataDict

from ckanext.yiyang import roles
from ckanext.yiyang.services import is_service_user
from ckanext.yiyang.services.model import ServiceAccount

__all__ = [
    "api_token_create",
    "user_update",
    "yiyang_service_account_create",
    "yiyang_service_account_list",
    "yiyang_service_account_revoke",
]


def _refused() -> AuthResult:
    return {
        "success": False,
        "msg": tk._("Only the unit's administrators may manage its data service accounts"),
    }


def yiyang_service_account_create(context: Context, data_dict: DataDict) -> AuthResult:
    """The admins of the unit ``org_id`` (and sysadmins)."""
    if roles.can(context.get("user"), str(data_dict.get("org_id") or ""), "admin"):
        return {"success": True}
    return _refused()


def yiyang_service_account_list(context: Context, data_dict: DataDict) -> AuthResult:
    """The admins of the unit ``org_id``; the office's reviewers (and sysadmins) any unit's, or
    all without ``org_id``."""
    user = context.get("user")
    if roles.is_reviewer(user):
        return {"success": True}
    org = str(data_dict.get("org_id") or "")
    if org and roles.can(user, org, "admin"):
        return {"success": True}
    return _refused()


def yiyang_service_account_revoke(context: Context, data_dict: DataDict) -> AuthResult:
    """The admins of the account's unit (and sysadmins)."""
    row = model.Session.get(ServiceAccount, str(data_dict.get("id") or ""))
    if row is not None and roles.can(context.get("user"), row.org_id, "admin"):
        return {"success": True}
    return _refused()


def _targets_service_user(data_dict: DataDict, *keys: str) -> bool:
    for key in keys:
        value = data_dict.get(key)
        if value:
            user = model.User.get(str(value))
            return user is not None and is_service_user(user)
    return False


@tk.chained_auth_function
def user_update(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """CKAN's; a service account's user is changed by sysadmins only."""
    if _targets_service_user(data_dict, "id", "name"):
        return {"success": False, "msg": tk._("A data service account cannot be edited")}
    return next_auth(context, data_dict)


@tk.chained_auth_function
def api_token_create(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """CKAN's; a service account's token is made with the account, never afterwards."""
    if _targets_service_user(data_dict, "user"):
        return {
            "success": False,
            "msg": tk._("A data service account's token is made when the account is created"),
        }
    return next_auth(context, data_dict)
