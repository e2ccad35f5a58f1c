"""Who may attach and read the basis document of an application."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.yiyang import roles
from ckanext.yiyang.logic.auth import allow
from ckanext.yiyang.subscription.model import Subscription


def _row(data_dict: DataDict) -> Subscription | None:
    return model.Session.get(Subscription, str(data_dict.get("id") or ""))


def yiyang_subscription_basis_upload(context: Context, data_dict: DataDict) -> AuthResult:
    """The members of the applicant's unit."""
    row = _row(data_dict)
    ok = row is not None and roles.can(context.get("user"), row.applicant_org, "read")
    return allow(ok, tk._("Only the applicant's unit attaches the basis document"))


def yiyang_subscription_basis_show(context: Context, data_dict: DataDict) -> AuthResult:
    """The members of the applicant's unit and of the providing unit, reviewers."""
    user = context.get("user")
    row = _row(data_dict)
    package = model.Package.get(row.dataset_id) if row is not None else None
    ok = row is not None and (
        roles.is_reviewer(user)
        or roles.can(user, row.applicant_org, "read")
        or (package is not None and roles.can(user, package.owner_org, "read"))
    )
    return allow(
        ok,
        tk._("Only the applicant's unit, the providing unit and reviewers see the basis document"),
    )
