"""Actions of subscriptions (catalog-model §7). ``id`` is a subscription's id."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context, DataDict, Schema

from ckanext.yiyang import roles, workdays
from ckanext.yiyang.logic.schema import validate
from ckanext.yiyang.review import workflow as review
from ckanext.yiyang.subscription import states, workflow
from ckanext.yiyang.subscription.logic import schema
from ckanext.yiyang.subscription.model import Subscription


def _applicant_unit(context: Context, wanted: str) -> str:
    """The applying unit's id: the one named (the schema found it), else the user's first."""
    if wanted:
        return wanted
    ids = roles.units_of(context.get("user"))
    groups = [g for g in (model.Group.get(i) for i in sorted(ids)) if g is not None]
    if not groups:
        raise tk.ValidationError({"applicant_org": [tk._("You belong to no unit")]})
    return groups[0].id


def yiyang_subscription_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Apply to use an entry on behalf of a unit (共享申请).

    With the office's compliance review (``ckanext.yiyang.subscription.compliance_review``,
    default on) a shared entry's application waits for it (``checking``, 2 working days);
    then an ``unconditional`` one is granted and a ``conditional`` one waits for the providing
    unit's admins (5 working days when the entry has data, else 10). Without the review an
    ``unconditional`` entry is approved at once and a ``conditional`` one waits
    ``ckanext.yiyang.subscription.answer_days`` working days. A ``none`` entry is refused at
    once with its recorded basis (the applicant may contest it or ask the office to
    coordinate). By members of a unit.

    :param dataset_id: the entry's id or name
    :type dataset_id: string
    :param purpose: ``administrative_basis``, ``work_reference``, ``data_verification``,
        ``business_collaboration`` or ``other``
    :type purpose: string
    :param purpose_detail: what the data is for
    :type purpose_detail: string
    :param data_item_names: the 信息项 wanted (optional; default all)
    :type data_item_names: list of strings
    :param valid_until: last day of use, YYYY-MM-DD (optional)
    :type valid_until: string
    :param applicant_org: the applying unit (optional; default the user's unit)
    :type applicant_org: string
    :param basis: 依据, the law or policy the use rests on (required unless
        ``ckanext.yiyang.subscription.require_basis`` is off)
    :type basis: string
    :param scenario: 应用场景, where the data will be used (required, as ``basis``)
    :type scenario: string
    :param scope_of_use: 使用范围, who uses the data and how far (required, as ``basis``)
    :type scope_of_use: string
    :returns: the subscription (``status`` stored, ``lifecycle`` catalog-model §11's name)
    :rtype: dict
    """
    tk.check_access("yiyang_subscription_create", context, data_dict)
    # The form's errors and what the entry, the calendar and the other applications say of
    # it are told together.
    data, errors = tk.navl_validate(dict(data_dict), schema.create(), context)
    package = review.get_entry(data.get("dataset_id") or data.get("id") or "")
    tk.check_access("package_show", dict(context), {"id": package.id})
    if review.status_of(package) != review.PUBLISHED:
        errors["dataset_id"] = [tk._("Only published entries can be applied for")]
    names = data.get("data_item_names") if "data_item_names" not in errors else []
    shown = tk.get_action("package_show")({"ignore_auth": True}, {"id": package.id})
    known = {i.get("name") for i in shown.get("data_items") or [] if isinstance(i, dict)}
    if any(n not in known for n in names or []):
        errors["data_item_names"] = [tk._("Name data items of the entry")]
    valid_until = data.get("valid_until") if "valid_until" not in errors else None
    if valid_until is not None and valid_until < workdays.today():
        errors["valid_until"] = [tk._("Must not be in the past")]
    if "applicant_org" in errors:
        raise tk.ValidationError(errors)
    unit = _applicant_unit(context, data.get("applicant_org") or "")
    if unit == package.owner_org:
        errors["applicant_org"] = [tk._("Your unit provides this entry")]
    elif (
        model.Session.query(Subscription.id)
        .filter(
            Subscription.dataset_id == package.id,
            Subscription.applicant_org == unit,
            Subscription.status.in_(states.LIVE),
        )
        .first()
    ):
        errors["dataset_id"] = [tk._("Your unit has applied for this entry already")]
    if errors:
        raise tk.ValidationError(errors)
    details = {k: data.get(k) or "" for k in ("basis", "scenario", "scope_of_use")}
    row = workflow.create(
        context,
        package,
        unit,
        data["purpose"],
        data["purpose_detail"],
        names or [],
        valid_until,
        details,
    )
    return workflow.as_dict(row)


@tk.side_effect_free
def yiyang_subscription_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One application, with its ``history`` (each step and each message of the negotiation
    thread: ``action``, ``user``, ``org_title``, ``to_status``, ``note``, ``late``). The
    members of the two units, reviewers.

    :param id: the subscription's id
    :type id: string
    :rtype: dict
    """
    tk.check_access("yiyang_subscription_show", context, data_dict)
    data = validate(data_dict, schema.subscription(), context)
    return workflow.as_dict(workflow.get(data["id"]), with_history=True)


@tk.side_effect_free
def yiyang_subscription_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Applications, newest first, with due dates and overdue marking.

    :param scope: ``applied`` (default: those of the user's units), ``received`` (those to
        the user's units, to decide), ``escalated`` (reviewers: every overdue application
        and every request for coordination) or ``checks`` (reviewers: those in compliance
        review)
    :type scope: string
    :param status: one state (optional; ``granted`` is ``approved``)
    :type status: string
    :param dataset_id: one entry's (optional)
    :type dataset_id: string
    :param limit: at most this many (default 100, at most 500)
    :type limit: int
    :param offset: skip this many (default 0)
    :type offset: int
    :rtype: ``{"count", "results": [subscription]}`` (``count``: all that match)
    """
    tk.check_access("yiyang_subscription_list", context, data_dict)
    data = validate(data_dict, schema.subscription_list(), context)
    scope, status = data["scope"], data.get("status")
    user_name = context.get("user")
    query = model.Session.query(Subscription).join(
        model.Package, model.Package.id == Subscription.dataset_id
    )
    today = workdays.today()
    if scope in ("escalated", "checks"):
        if not roles.is_reviewer(user_name):
            raise tk.NotAuthorized(tk._("Only the e-government office sees escalations"))
        # overdue = a working day has begun after the due date (workflow.overdue), as a date
        due_by = workdays.latest_overdue_start(today, 0)
        query = query.filter(
            Subscription.status == states.CHECKING
            if scope == "checks"
            else sa.or_(
                sa.and_(
                    Subscription.status.in_((states.PENDING, states.NEGOTIATING)),
                    Subscription.due_date <= due_by,
                ),
                Subscription.coordination_requested.is_(True),
            )
        )
    else:
        units = roles.units_of(user_name)
        column = Subscription.applicant_org if scope == "applied" else model.Package.owner_org
        query = query.filter(column.in_(units or [""]))
    if status:
        query = query.filter(Subscription.status == status)
    dataset = data.get("dataset_id")
    if dataset:
        package = model.Package.get(dataset)
        query = query.filter(Subscription.dataset_id == (package.id if package else dataset))
    count = query.count()
    rows = (
        query.order_by(Subscription.created.desc(), Subscription.id)
        .limit(data["limit"])
        .offset(data["offset"])
        .all()
    )
    return {"count": count, "results": workflow.as_dicts(rows, today)}


def _decide(action: str, context: Context, data_dict: DataDict, schema: Schema) -> dict[str, Any]:
    tk.check_access(f"yiyang_subscription_{action}", context, data_dict)
    data = validate(data_dict, schema, context)
    row = workflow.get(data["id"])
    valid_until = data.get("valid_until") if action == "approve" else None
    return workflow.as_dict(
        workflow.decide(context, row, action, data.get("reason") or "", valid_until)
    )


def yiyang_subscription_approve(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Approve a pending application: the applicant unit sees the entry's data. The admins
    of the providing unit.

    :param id: the subscription's id
    :type id: string
    :param valid_until: last day of use, YYYY-MM-DD (optional; overrides the applicant's)
    :type valid_until: string
    :param reason: a remark (optional)
    :type reason: string
    :rtype: dict
    """
    return _decide("approve", context, data_dict, schema.decide())


def yiyang_subscription_reject(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Reject a pending application, giving the reason. The admins of the providing unit.

    :param id: the subscription's id
    :type id: string
    :param reason: why (required)
    :type reason: string
    :rtype: dict
    """
    return _decide("reject", context, data_dict, schema.reject())


def yiyang_subscription_cancel(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Cancel a pending or approved application (by the applicant side) or revoke an
    approved one (by the providing unit's admins): the access ends at once.

    :param id: the subscription's id
    :type id: string
    :param reason: why (optional)
    :type reason: string
    :rtype: dict
    """
    return _decide("cancel", context, data_dict, schema.decide())


def yiyang_subscription_coordinate(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Ask the e-government office to coordinate a rejected, negotiated or overdue
    application (once). A rejected or negotiated one becomes ``coordinating``: the office
    records its binding decision (``yiyang_subscription_decide``) within
    ``ckanext.yiyang.subscription.coordinate_days`` working days; an overdue pending one stays
    the provider's to answer, the office told. The members of the applicant unit.

    :param id: the subscription's id
    :type id: string
    :rtype: dict
    """
    tk.check_access("yiyang_subscription_coordinate", context, data_dict)
    data = validate(data_dict, schema.subscription(), context)
    row = workflow.get(data["id"])
    if not workflow.may_coordinate(row.status, workflow.overdue(row, workdays.today())):
        raise tk.ValidationError(
            {"status": [tk._("Only a rejected or overdue application can be escalated")]}
        )
    return workflow.as_dict(workflow.request_coordination(context, row))


def yiyang_subscription_check(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The office's compliance review (符合性审查) of an application in ``checking``: passed,
    an unconditional application is granted (the provider informed) and a conditional one goes
    to the providing unit (5 working days when the entry has data, else 10); failed, it is
    refused with the opinion. Reviewers (the e-government office), sysadmins.

    :param id: the subscription's id
    :type id: string
    :param passed: whether the application passes
    :type passed: bool
    :param opinion: the office's opinion (required when it fails)
    :type opinion: string
    :rtype: dict
    """
    tk.check_access("yiyang_subscription_check", context, data_dict)
    data = validate(data_dict, schema.check(), context)
    if not data["passed"] and not data.get("opinion"):
        raise tk.ValidationError(
            {"opinion": [tk._("Opinion (审查意见): say why the application fails")]}
        )
    row = workflow.get(data["id"])
    return workflow.as_dict(
        workflow.check(context, row, data["passed"], data.get("opinion") or ""),
        with_history=True,
    )


def yiyang_subscription_negotiate(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A message in the negotiation between the two units over a refusal. The applicant
    unit's first message on a ``rejected`` application contests it (``negotiating``, due in
    ``negotiate_days`` working days); while negotiating, both units write; the provider may
    then approve it, or the applicant ask the office to coordinate. The members of the
    applicant unit, the admins of the providing unit, sysadmins.

    :param id: the subscription's id
    :type id: string
    :param message: the message
    :type message: string
    :rtype: dict (with ``history``, the thread)
    """
    tk.check_access("yiyang_subscription_negotiate", context, data_dict)
    data = validate(data_dict, schema.message(), context)
    row = workflow.get(data["id"])
    package = model.Package.get(row.dataset_id)
    provider = package.owner_org if package else None
    units = set(roles.units_of(context.get("user")))
    speaks_for = row.applicant_org if row.applicant_org in units else provider
    if row.status == states.REJECTED and speaks_for != row.applicant_org:
        raise tk.ValidationError(
            {"status": [tk._("Only the applicant unit can contest a refusal")]}
        )
    return workflow.as_dict(
        workflow.negotiate(context, row, data["message"], speaks_for or ""), with_history=True
    )


def yiyang_subscription_decide(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The office's binding decision on an application it was asked to coordinate: granted,
    or refused for good (``refused``). Reviewers (the e-government office), sysadmins.

    :param id: the subscription's id
    :type id: string
    :param granted: grant the application
    :type granted: bool
    :param reason: the grounds of the decision (required)
    :type reason: string
    :rtype: dict
    """
    tk.check_access("yiyang_subscription_decide", context, data_dict)
    data = validate(data_dict, schema.office_decision(), context)
    row = workflow.get(data["id"])
    return workflow.as_dict(
        workflow.office_decide(context, row, data["granted"], data["reason"]), with_history=True
    )


def yiyang_subscription_revoke(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Revoke a grant (``granted`` or ``expiring``): the applicant unit's access to the
    data ends at once, on every data path. The admins of the providing unit, reviewers,
    sysadmins.

    :param id: the subscription's id
    :type id: string
    :param reason: why (required)
    :type reason: string
    :rtype: dict
    """
    tk.check_access("yiyang_subscription_revoke", context, data_dict)
    data = validate(data_dict, schema.revoke(), context)
    row = workflow.get(data["id"])
    return workflow.as_dict(workflow.revoke(context, row, data["reason"]), with_history=True)


def yiyang_subscription_renew(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Renew a grant (granted, expiring or expired): a new short application linked to the
    old one (``renews_id``; the old one's history is kept), with its basis, scenario, scope
    and purpose; no compliance review — the provider answers a conditional one, an
    unconditional one is granted. It may not ask for more than the grant: its 信息项 must be
    among the grant's. The members of the applicant unit, sysadmins.

    :param id: the grant's (subscription's) id
    :type id: string
    :param valid_until: the new last day of use, YYYY-MM-DD
    :type valid_until: string
    :param data_item_names: the 信息项 (optional; default the grant's; no others)
    :type data_item_names: list of strings
    :param purpose_detail: what the data is for now (optional; default the grant's)
    :type purpose_detail: string
    :rtype: dict (the new application)
    """
    tk.check_access("yiyang_subscription_renew", context, data_dict)
    data = validate(data_dict, schema.renew(), context)
    old = workflow.get(data["id"])
    errors: dict[str, list[str]] = {}
    if old.status not in states.RENEWABLE:
        workflow.refuse(old)
    granted = [str(n) for n in old.data_item_names or []]
    names = data.get("data_item_names")
    names = granted if names is None or names == [] else names
    if granted and any(n not in granted for n in names):
        errors["data_item_names"] = [
            tk._("A renewal cannot ask for data items the grant does not have")
        ]
    if data["valid_until"] <= max(workdays.today(), old.valid_until or workdays.today()):
        errors["valid_until"] = [tk._("Must be later than the grant's last day and today")]
    package = model.Package.get(old.dataset_id)
    if package is None or review.status_of(package) != review.PUBLISHED:
        errors["dataset_id"] = [tk._("Only published entries can be applied for")]
    if errors:
        raise tk.ValidationError(errors)
    assert package is not None
    row = workflow.create(
        context,
        package,
        old.applicant_org,
        old.purpose,
        data.get("purpose_detail") or old.purpose_detail,
        names,
        data["valid_until"],
        {"basis": old.basis, "scenario": old.scenario, "scope_of_use": old.scope_of_use},
        renews=old,
    )
    return workflow.as_dict(row, with_history=True)
