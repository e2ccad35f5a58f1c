"""Who may act on objections and feedback (catalog-model §11). The state an objection must be
in is checked by the actions; these functions say who, whatever the state."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.yiyang import roles
from ckanext.yiyang.logic.auth import allow
from ckanext.yiyang.objection import feedback, workflow
from ckanext.yiyang.objection.model import Feedback, Objection
from ckanext.yiyang.subscription.model import Subscription


def _objection(data_dict: DataDict) -> Objection | None:
    return workflow.get_objection(str(data_dict.get("id") or ""), must_exist=False)


def _user_id(name: str | None) -> str | None:
    user = model.User.get(name) if name else None
    return user.id if user else None


def _is_raiser(name: str | None, objection: Objection | None) -> bool:
    return objection is not None and bool(name) and _user_id(name) == objection.raised_by


def _of_raisers_unit(name: str | None, objection: Objection | None) -> bool:
    """``name`` is a member of a unit the raiser belongs to (the unit raised it)."""
    if objection is None or not name:
        return False
    raiser = model.User.get(objection.raised_by)
    if raiser is None:
        return False
    return bool(set(roles.units_of(raiser.name)) & set(roles.units_of(name)))


def yiyang_objection_create(context: Context, data_dict: DataDict) -> AuthResult:
    """Logged-in users (the users of shared data, 条例); the action checks that they may see
    the entry."""
    return allow(bool(context.get("user")), tk._("Log in to raise an objection"))


def yiyang_objection_show(context: Context, data_dict: DataDict) -> AuthResult:
    """The raiser and the members of the raiser's units, the providing unit's members,
    reviewers, sysadmins."""
    user, objection = context.get("user"), _objection(data_dict)
    ok = objection is not None and (
        roles.is_reviewer(user)
        or _is_raiser(user, objection)
        or roles.can(user, objection.owner_org, "read")
        or _of_raisers_unit(user, objection)
    )
    return allow(ok, tk._("Only the raiser, the providing unit and the office see an objection"))


def yiyang_objection_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Logged-in users; the list holds what they may see."""
    return allow(bool(context.get("user")), tk._("Log in to see objections"))


def _office(context: Context) -> AuthResult:
    return allow(
        roles.is_reviewer(context.get("user")),
        tk._("Only the e-government office does this"),
    )


def yiyang_objection_accept(context: Context, data_dict: DataDict) -> AuthResult:
    """Reviewers (the office), sysadmins."""
    return _office(context)


def yiyang_objection_decide(context: Context, data_dict: DataDict) -> AuthResult:
    """Reviewers (the office), sysadmins."""
    return _office(context)


def yiyang_objection_close(context: Context, data_dict: DataDict) -> AuthResult:
    """Reviewers (the office), sysadmins."""
    return _office(context)


def _provider(context: Context, data_dict: DataDict) -> AuthResult:
    user, objection = context.get("user"), _objection(data_dict)
    ok = objection is not None and (
        roles.is_sysadmin(user) or roles.can(user, objection.owner_org, "update_dataset")
    )
    return allow(ok, tk._("Only the providing unit's editors and admins verify an objection"))


def yiyang_objection_resolve(context: Context, data_dict: DataDict) -> AuthResult:
    """The providing unit's editors and admins, sysadmins."""
    return _provider(context, data_dict)


def yiyang_objection_extend(context: Context, data_dict: DataDict) -> AuthResult:
    """The providing unit's editors and admins, sysadmins."""
    return _provider(context, data_dict)


def yiyang_objection_contest(context: Context, data_dict: DataDict) -> AuthResult:
    """The raiser only."""
    return allow(
        _is_raiser(context.get("user"), _objection(data_dict)),
        tk._("Only the raiser contests the outcome"),
    )


def _subscription(data_dict: DataDict) -> Subscription | None:
    sid = str(data_dict.get("subscription_id") or "")
    return model.Session.get(Subscription, sid) if sid else None


def yiyang_feedback_create(context: Context, data_dict: DataDict) -> AuthResult:
    """The applicant unit's members."""
    user, subscription = context.get("user"), _subscription(data_dict)
    ok = subscription is not None and subscription.applicant_org in roles.units_of(user)
    return allow(ok, tk._("Only the applicant unit rates its application"))


def yiyang_feedback_reply(context: Context, data_dict: DataDict) -> AuthResult:
    """The providing unit's editors and admins, sysadmins."""
    user = context.get("user")
    fid = str(data_dict.get("id") or "")
    found = model.Session.get(Feedback, fid) if fid else None
    ok = found is not None and (
        roles.is_sysadmin(user) or roles.can(user, found.provider_org, "update_dataset")
    )
    return allow(ok, tk._("Only the providing unit replies to a feedback"))


def yiyang_feedback_show(context: Context, data_dict: DataDict) -> AuthResult:
    """The applicant and the providing unit's members, reviewers, sysadmins."""
    user, subscription = context.get("user"), _subscription(data_dict)
    ok = subscription is not None and (
        roles.is_reviewer(user)
        or roles.can(user, subscription.applicant_org, "read")
        or roles.can(user, feedback.provider_of(subscription), "read")
    )
    return allow(ok, tk._("Only the units concerned and the office see a feedback"))


def yiyang_feedback_summary(context: Context, data_dict: DataDict) -> AuthResult:
    """Government users (members of a unit), reviewers, sysadmins."""
    return allow(
        roles.is_government(context.get("user")), tk._("Only government users see the ratings")
    )
