"""Who may act on demands (catalog-model §8). The state a demand must be in is checked by the
actions; these functions say who, whatever the state."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz
from ckan.types import AuthResult, Context, DataDict

from ckanext.yiyang import roles
from ckanext.yiyang.demand import workflow


def _allow(ok: bool, message: str) -> AuthResult:
    return {"success": True} if ok else {"success": False, "msg": message}


def _in_unit(user: str | None, org_id: str | None, permission: str = "read") -> bool:
    return bool(user and org_id) and authz.has_user_permission_for_group_or_org(
        org_id, user, permission
    )


def _demand(data_dict: DataDict) -> workflow.Demand | None:
    return workflow.get_demand(str(data_dict.get("id") or ""), must_exist=False)


def _may_see(user: str | None, demand: workflow.Demand | None) -> bool:
    """The requester unit's and the provider unit's members, reviewers, sysadmins."""
    if not user or demand is None:
        return False
    return (
        roles.is_reviewer(user)
        or _in_unit(user, demand.requester_org)
        or _in_unit(user, demand.provider_org)
    )


def yiyang_demand_create(context: Context, data_dict: DataDict) -> AuthResult:
    """Members of a unit (on behalf of their unit); the action checks ``requester_org``."""
    user = context.get("user")
    ok = bool(user) and (authz.is_sysadmin(user) or bool(workflow.units_of(user)))
    return _allow(ok, tk._("Only the users of a unit can raise a demand"))


def yiyang_demand_show(context: Context, data_dict: DataDict) -> AuthResult:
    """The requester unit's and the provider unit's members, reviewers, sysadmins."""
    return _allow(
        _may_see(context.get("user"), _demand(data_dict)),
        tk._("Only the units concerned and the e-government office see a demand"),
    )


def yiyang_demand_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Logged-in users; the list holds the demands of their units (all for reviewers)."""
    return _allow(bool(context.get("user")), tk._("Log in to see demands"))


def yiyang_demand_suggest(context: Context, data_dict: DataDict) -> AuthResult:
    """Logged-in users; the search runs as them."""
    return _allow(bool(context.get("user")), tk._("Log in to see demands"))


def yiyang_demand_route(context: Context, data_dict: DataDict) -> AuthResult:
    """Reviewers (members of the e-government office) and sysadmins."""
    return _allow(
        roles.is_reviewer(context.get("user")),
        tk._("Only the e-government office routes demands"),
    )


def _provider_editor(context: Context, data_dict: DataDict) -> AuthResult:
    demand = _demand(data_dict)
    user = context.get("user")
    ok = demand is not None and (
        authz.is_sysadmin(user) or _in_unit(user, demand.provider_org, "update_dataset")
    )
    return _allow(ok, tk._("Only the providing unit's editors and admins answer a demand"))


def yiyang_demand_accept(context: Context, data_dict: DataDict) -> AuthResult:
    """The providing unit's editors and admins; sysadmins."""
    return _provider_editor(context, data_dict)


def yiyang_demand_fulfil(context: Context, data_dict: DataDict) -> AuthResult:
    """The providing unit's editors and admins; sysadmins."""
    return _provider_editor(context, data_dict)


def yiyang_demand_reject(context: Context, data_dict: DataDict) -> AuthResult:
    """The providing unit's editors and admins; sysadmins."""
    return _provider_editor(context, data_dict)


def yiyang_demand_close(context: Context, data_dict: DataDict) -> AuthResult:
    """The requester unit's members, reviewers, sysadmins."""
    demand = _demand(data_dict)
    user = context.get("user")
    ok = demand is not None and (roles.is_reviewer(user) or _in_unit(user, demand.requester_org))
    return _allow(ok, tk._("Only the requesting unit and the e-government office close a demand"))


def yiyang_demand_comment(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever sees the demand: the requester unit, the provider unit, reviewers."""
    return _allow(
        _may_see(context.get("user"), _demand(data_dict)),
        tk._("Only the units concerned and the e-government office comment on a demand"),
    )
