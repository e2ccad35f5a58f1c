"""Who may act in the review workflow (catalog-model §5)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.yiyang import roles
from ckanext.yiyang.logic.auth import allow


def _unit(data_dict: DataDict) -> str | None:
    """The unit of the entry ``id`` (None if there is no such entry)."""
    package = model.Package.get(str(data_dict.get("id") or ""))
    return package.owner_org if package is not None else None


def yiyang_review_submit(context: Context, data_dict: DataDict) -> AuthResult:
    """The unit's editors and admins (CKAN's ``update_dataset`` in the entry's unit);
    sysadmins."""
    ok = roles.can(context.get("user"), _unit(data_dict), "update_dataset")
    return allow(ok, tk._("Only the unit's editors and admins can submit its entries"))


def yiyang_review_approve(context: Context, data_dict: DataDict) -> AuthResult:
    """Reviewers (members of the e-government office) and sysadmins."""
    return allow(
        roles.is_reviewer(context.get("user")),
        tk._("Only the e-government office reviews entries"),
    )


def yiyang_review_return(context: Context, data_dict: DataDict) -> AuthResult:
    """Reviewers (members of the e-government office) and sysadmins."""
    return yiyang_review_approve(context, data_dict)


def yiyang_review_withdraw(context: Context, data_dict: DataDict) -> AuthResult:
    """Reviewers, the admins of the entry's unit, sysadmins."""
    user = context.get("user")
    ok = roles.is_reviewer(user) or roles.can(user, _unit(data_dict), "admin")
    return allow(ok, tk._("Only the e-government office and the unit's admins can withdraw"))


def _member_or_reviewer(context: Context, data_dict: DataDict) -> AuthResult:
    user = context.get("user")
    ok = roles.is_reviewer(user) or roles.can(user, _unit(data_dict), "read")
    return allow(ok, tk._("Only the unit and the e-government office see the review of an entry"))


def yiyang_review_history(context: Context, data_dict: DataDict) -> AuthResult:
    """The members of the entry's unit, reviewers, sysadmins."""
    return _member_or_reviewer(context, data_dict)


def yiyang_revision_show(context: Context, data_dict: DataDict) -> AuthResult:
    """The members of the entry's unit, reviewers, sysadmins."""
    return _member_or_reviewer(context, data_dict)


def yiyang_review_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Logged-in users; the list holds only the units they belong to (all for reviewers)."""
    return allow(bool(context.get("user")), tk._("Log in to see the review queue"))
