"""Who may act on demands (catalog-model §8). The state a demand must be in is checked by the
actions; these functions say who, whatever the state."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.yiyang import roles
from ckanext.yiyang.demand import workflow
from ckanext.yiyang.logic.auth import allow


def _demand(data_dict: DataDict) -> workflow.Demand | None:
    return workflow.get_demand(str(data_dict.get("id") or ""), must_exist=False)


def _may_see(user: str | None, demand: workflow.Demand | None) -> bool:
    """The requester unit's and the provider unit's members, reviewers, sysadmins."""
    if not user or demand is None:
        return False
    return (
        roles.is_reviewer(user)
        or roles.can(user, demand.requester_org, "read")
        or roles.can(user, demand.provider_org, "read")
    )


def yiyang_demand_create(context: Context, data_dict: DataDict) -> AuthResult:
    """Members of a unit (on behalf of their unit); the action checks ``requester_org``."""
    user = context.get("user")
    ok = roles.is_sysadmin(user) or bool(roles.units_of(user))
    return allow(ok, tk._("Only the users of a unit can raise a demand"))


def yiyang_demand_show(context: Context, data_dict: DataDict) -> AuthResult:
    """The requester unit's and the provider unit's members, reviewers, sysadmins."""
    return allow(
        _may_see(context.get("user"), _demand(data_dict)),
        tk._("Only the units concerned and the e-government office see a demand"),
    )


def yiyang_demand_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Logged-in users; the list holds the demands of their units (all for reviewers)."""
    return allow(bool(context.get("user")), tk._("Log in to see demands"))


def yiyang_demand_suggest(context: Context, data_dict: DataDict) -> AuthResult:
    """Logged-in users; the search runs as them."""
    return allow(bool(context.get("user")), tk._("Log in to see demands"))


def yiyang_demand_route(context: Context, data_dict: DataDict) -> AuthResult:
    """Reviewers (members of the e-government office) and sysadmins."""
    return allow(
        roles.is_reviewer(context.get("user")),
        tk._("Only the e-government office routes demands"),
    )


def _provider_editor(context: Context, data_dict: DataDict) -> AuthResult:
    demand = _demand(data_dict)
    user = context.get("user")
    ok = demand is not None and (
        roles.is_sysadmin(user) or roles.can(user, demand.provider_org, "update_dataset")
    )
    return allow(ok, tk._("Only the providing unit's editors and admins answer a demand"))


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
    ok = demand is not None and (
        roles.is_reviewer(user) or roles.can(user, demand.requester_org, "read")
    )
    return allow(ok, tk._("Only the requesting unit and the e-government office close a demand"))


def yiyang_demand_comment(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever sees the demand: the requester unit, the provider unit, reviewers."""
    return allow(
        _may_see(context.get("user"), _demand(data_dict)),
        tk._("Only the units concerned and the e-government office comment on a demand"),
    )
