"""Who may act in the review workflow (catalog-model §5)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.yiyang import roles
from ckanext.yiyang.review import queue


def _entry(data_dict: DataDict) -> model.Package | None:
    return model.Package.get(str(data_dict.get("id") or ""))


def _allow(ok: bool, message: str) -> AuthResult:
    return {"success": True} if ok else {"success": False, "msg": message}


def yiyang_review_submit(context: Context, data_dict: DataDict) -> AuthResult:
    """The unit's editors and admins (CKAN's ``update_dataset`` in the entry's unit);
    sysadmins."""
    package = _entry(data_dict)
    ok = package is not None and queue.can_act_for_unit(
        context.get("user"), package.owner_org, "update_dataset"
    )
    return _allow(ok, tk._("Only the unit's editors and admins can submit its entries"))


def yiyang_review_approve(context: Context, data_dict: DataDict) -> AuthResult:
    """Reviewers (members of the e-government office) and sysadmins."""
    return _allow(
        roles.is_reviewer(context.get("user")),
        tk._("Only the e-government office reviews entries"),
    )


def yiyang_review_return(context: Context, data_dict: DataDict) -> AuthResult:
    """Reviewers (members of the e-government office) and sysadmins."""
    return yiyang_review_approve(context, data_dict)


def yiyang_review_withdraw(context: Context, data_dict: DataDict) -> AuthResult:
    """Reviewers, the admins of the entry's unit, sysadmins."""
    user = context.get("user")
    package = _entry(data_dict)
    ok = roles.is_reviewer(user) or (
        package is not None and queue.can_act_for_unit(user, package.owner_org, "admin")
    )
    return _allow(ok, tk._("Only the e-government office and the unit's admins can withdraw"))


def _member_or_reviewer(context: Context, data_dict: DataDict) -> AuthResult:
    user = context.get("user")
    package = _entry(data_dict)
    ok = roles.is_reviewer(user) or (
        package is not None and queue.can_act_for_unit(user, package.owner_org, "read")
    )
    return _allow(ok, tk._("Only the unit and the e-government office see the review of an entry"))


def yiyang_review_history(context: Context, data_dict: DataDict) -> AuthResult:
    """The members of the entry's unit, reviewers, sysadmins."""
    return _member_or_reviewer(context, data_dict)


def yiyang_revision_show(context: Context, data_dict: DataDict) -> AuthResult:
    """The members of the entry's unit, reviewers, sysadmins."""
    return _member_or_reviewer(context, data_dict)


def yiyang_review_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Logged-in users; the list holds only the units they belong to (all for reviewers)."""
    return _allow(bool(context.get("user")), tk._("Log in to see the review queue"))
