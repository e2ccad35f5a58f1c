"""Who may act on subscriptions (catalog-model §7). Each function's docstring says who."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Action, AuthResult, Context, DataDict

from ckanext.yiyang import roles
from ckanext.yiyang.logic.auth import allow
from ckanext.yiyang.subscription.model import Subscription
from ckanext.yiyang.visibility import grants


def _row(data_dict: DataDict) -> tuple[Subscription | None, str | None]:
    row = model.Session.get(Subscription, str(data_dict.get("id") or ""))
    if row is None:
        return None, None
    package = model.Package.get(row.dataset_id)
    return row, package.owner_org if package else None


def yiyang_subscription_create(context: Context, data_dict: DataDict) -> AuthResult:
    """Logged-in members of a unit, for a unit they belong to (``applicant_org``, default
    their first unit)."""
    user = context.get("user")
    units = roles.units_of(user)
    wanted = model.Group.get(str(data_dict.get("applicant_org") or ""))
    ok = bool(units) and (wanted is None or wanted.id in units or roles.is_sysadmin(user))
    return allow(ok, tk._("Only members of a unit can apply on behalf of their unit"))


def yiyang_subscription_show(context: Context, data_dict: DataDict) -> AuthResult:
    """The members of the applicant unit and of the providing unit, reviewers, sysadmins."""
    user = context.get("user")
    row, provider = _row(data_dict)
    ok = row is None or (
        roles.is_reviewer(user)
        or roles.can(user, row.applicant_org, "read")
        or roles.can(user, provider, "read")
    )
    return allow(ok, tk._("Only the two units and the e-government office see an application"))


def yiyang_subscription_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Logged-in users; the list holds the applications of their own units (the overdue view:
    reviewers)."""
    return allow(bool(context.get("user")), tk._("Log in to see applications"))


def yiyang_subscription_approve(context: Context, data_dict: DataDict) -> AuthResult:
    """The admins of the providing unit, sysadmins."""
    row, provider = _row(data_dict)
    ok = row is None or roles.can(context.get("user"), provider, "admin")
    return allow(ok, tk._("Only the admins of the providing unit decide on an application"))


def yiyang_subscription_reject(context: Context, data_dict: DataDict) -> AuthResult:
    """The admins of the providing unit, sysadmins."""
    return yiyang_subscription_approve(context, data_dict)


def yiyang_subscription_cancel(context: Context, data_dict: DataDict) -> AuthResult:
    """The applicant, the admins of the applicant unit, the admins of the providing unit
    (who revoke it), sysadmins."""
    user = context.get("user")
    row, provider = _row(data_dict)
    me = roles.person(user).id
    ok = row is None or (
        (me is not None and me == row.applicant_user)
        or roles.can(user, row.applicant_org, "admin")
        or roles.can(user, provider, "admin")
    )
    return allow(ok, tk._("Only the applicant and the admins of the two units can cancel"))


def yiyang_subscription_coordinate(context: Context, data_dict: DataDict) -> AuthResult:
    """The members of the applicant unit, sysadmins."""
    row, _provider = _row(data_dict)
    ok = row is None or roles.can(context.get("user"), row.applicant_org, "read")
    return allow(ok, tk._("Only the applicant unit can ask the office to coordinate"))


def yiyang_subscription_check(context: Context, data_dict: DataDict) -> AuthResult:
    """Reviewers (the e-government office), sysadmins."""
    ok = roles.is_reviewer(context.get("user"))
    return allow(ok, tk._("Only the e-government office reviews applications"))


def yiyang_subscription_decide(context: Context, data_dict: DataDict) -> AuthResult:
    """Reviewers (the e-government office), sysadmins."""
    ok = roles.is_reviewer(context.get("user"))
    return allow(ok, tk._("Only the e-government office decides a coordinated application"))


def yiyang_subscription_negotiate(context: Context, data_dict: DataDict) -> AuthResult:
    """The members of the applicant unit, the admins of the providing unit, sysadmins."""
    user = context.get("user")
    row, provider = _row(data_dict)
    ok = row is None or (
        roles.can(user, row.applicant_org, "read") or roles.can(user, provider, "admin")
    )
    return allow(ok, tk._("Only the two units negotiate an application"))


def yiyang_subscription_revoke(context: Context, data_dict: DataDict) -> AuthResult:
    """The admins of the providing unit, reviewers (the office), sysadmins."""
    user = context.get("user")
    row, provider = _row(data_dict)
    ok = row is None or roles.can(user, provider, "admin") or roles.is_reviewer(user)
    return allow(ok, tk._("Only the providing unit's admins and the office revoke a grant"))


def yiyang_subscription_renew(context: Context, data_dict: DataDict) -> AuthResult:
    """The members of the applicant unit, sysadmins."""
    row, _provider = _row(data_dict)
    ok = row is None or roles.can(context.get("user"), row.applicant_org, "read")
    return allow(ok, tk._("Only the applicant unit renews its grant"))


@tk.chained_auth_function
@tk.auth_allow_anonymous_access  # as CKAN's: an anonymous call without a user object (previews)
def resource_show(next_auth: Action, context: Context, data_dict: DataDict) -> AuthResult:
    """CKAN's, and the data of a conditional entry only for the units it is shared with
    (resource pages, downloads, views and the API)."""
    result = next_auth(context, data_dict)
    if not result.get("success"):
        return result
    resource = model.Resource.get(str(data_dict.get("id") or data_dict.get("resource_id") or ""))
    package = resource.package if resource is not None else None
    if package is None or grants.may_see_data(context.get("user"), package):
        return result
    return {
        "success": False,
        "msg": tk._("The data of this entry is shared on application: apply to use it"),
    }
