"""Actions of subscriptions (catalog-model §7). ``id`` is a subscription's id."""

from __future__ import annotations

import datetime
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context, DataDict

from ckanext.yiyang import roles, workdays
from ckanext.yiyang.review import workflow as review
from ckanext.yiyang.subscription import workflow
from ckanext.yiyang.subscription.model import Subscription


def _text(data_dict: DataDict, key: str) -> str:
    return str(data_dict.get(key) or "").strip()


def _date(data_dict: DataDict, key: str) -> datetime.date | None:
    value = _text(data_dict, key)
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        raise tk.ValidationError({key: [tk._("Must be a date (YYYY-MM-DD)")]}) from None


def _applicant_unit(context: Context, data_dict: DataDict) -> model.Group:
    wanted = _text(data_dict, "applicant_org")
    if wanted:
        group = model.Group.get(wanted)
        if group is None or not group.is_organization:
            raise tk.ValidationError({"applicant_org": [tk._("Unknown unit")]})
        return group
    user = model.User.get(context.get("user") or "")
    ids = user.get_group_ids(group_type="organization", capacity=None) if user else []
    groups = [g for g in (model.Group.get(i) for i in sorted(ids)) if g is not None]
    if not groups:
        raise tk.ValidationError({"applicant_org": [tk._("You belong to no unit")]})
    return groups[0]


def yiyang_subscription_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Apply to use an entry on behalf of a unit (共享申请).

    An ``unconditional`` entry is approved at once; a ``conditional`` one waits for the
    providing unit's admins, due in ``ckanext.yiyang.subscription.answer_days`` working days;
    a ``none`` entry is refused at once with its recorded basis (the applicant may then ask
    the office to coordinate). By members of a unit.

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
    :returns: the subscription
    :rtype: dict
    """
    tk.check_access("yiyang_subscription_create", context, data_dict)
    package = review.get_entry(_text(data_dict, "dataset_id") or _text(data_dict, "id"))
    tk.check_access("package_show", dict(context), {"id": package.id})
    errors: dict[str, list[str]] = {}
    if review.status_of(package) != review.PUBLISHED:
        errors["dataset_id"] = [tk._("Only published entries can be applied for")]
    purpose = _text(data_dict, "purpose")
    if purpose not in workflow.PURPOSES:
        errors["purpose"] = [tk._("Choose the use of the data")]
    detail = _text(data_dict, "purpose_detail")
    if not detail:
        errors["purpose_detail"] = [tk._("Describe what the data is for")]
    names = data_dict.get("data_item_names") or []
    if isinstance(names, str):
        names = [n.strip() for n in names.split(",") if n.strip()]
    shown = tk.get_action("package_show")({"ignore_auth": True}, {"id": package.id})
    known = {i.get("name") for i in shown.get("data_items") or [] if isinstance(i, dict)}
    if not isinstance(names, list) or any(n not in known for n in names):
        errors["data_item_names"] = [tk._("Name data items of the entry")]
    valid_until = _date(data_dict, "valid_until")
    if valid_until is not None and valid_until < workdays.today():
        errors["valid_until"] = [tk._("Must not be in the past")]
    unit = _applicant_unit(context, data_dict)
    if unit.id == package.owner_org:
        errors["applicant_org"] = [tk._("Your unit provides this entry")]
    elif (
        model.Session.query(Subscription.id)
        .filter(
            Subscription.dataset_id == package.id,
            Subscription.applicant_org == unit.id,
            Subscription.status.in_((workflow.PENDING, workflow.APPROVED)),
        )
        .first()
    ):
        errors["dataset_id"] = [tk._("Your unit has applied for this entry already")]
    if errors:
        raise tk.ValidationError(errors)
    row = workflow.create(context, package, unit.id, purpose, detail, names, valid_until)
    return workflow.as_dict(row)


@tk.side_effect_free
def yiyang_subscription_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One application. The members of the two units, reviewers.

    :param id: the subscription's id
    :type id: string
    :rtype: dict
    """
    tk.check_access("yiyang_subscription_show", context, data_dict)
    return workflow.as_dict(workflow.get(_text(data_dict, "id")))


@tk.side_effect_free
def yiyang_subscription_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Applications, newest first, with due dates and overdue marking.

    :param scope: ``applied`` (default: those of the user's units), ``received`` (those to
        the user's units, to decide) or ``escalated`` (reviewers: every overdue application
        and every request for coordination)
    :type scope: string
    :param status: one state (optional)
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
    scope = _text(data_dict, "scope") or "applied"
    status = _text(data_dict, "status")
    if scope not in ("applied", "received", "escalated"):
        raise tk.ValidationError({"scope": [tk._("Must be applied, received or escalated")]})
    if status and status not in workflow.STATES:
        raise tk.ValidationError({"status": [tk._("Unknown state")]})
    try:
        limit = min(int(data_dict.get("limit") or 100), 500)
        offset = max(int(data_dict.get("offset") or 0), 0)
    except ValueError:
        raise tk.ValidationError({"limit": [tk._("Must be a whole number")]}) from None
    user_name = context.get("user")
    query = model.Session.query(Subscription).join(
        model.Package, model.Package.id == Subscription.dataset_id
    )
    today = workdays.today()
    if scope == "escalated":
        if not roles.is_reviewer(user_name):
            raise tk.NotAuthorized(tk._("Only the e-government office sees escalations"))
        # overdue = a working day has begun after the due date (workflow.overdue), as a date
        due_by = workdays.latest_overdue_start(today, 0)
        query = query.filter(
            sa.or_(
                sa.and_(Subscription.status == workflow.PENDING, Subscription.due_date <= due_by),
                Subscription.coordination_requested.is_(True),
            )
        )
    else:
        user = model.User.get(user_name or "")
        units = user.get_group_ids(group_type="organization", capacity=None) if user else []
        column = Subscription.applicant_org if scope == "applied" else model.Package.owner_org
        query = query.filter(column.in_(units or [""]))
    if status:
        query = query.filter(Subscription.status == status)
    dataset = _text(data_dict, "dataset_id")
    if dataset:
        package = model.Package.get(dataset)
        query = query.filter(Subscription.dataset_id == (package.id if package else dataset))
    count = query.count()
    rows = query.order_by(Subscription.created.desc()).limit(limit).offset(offset).all()
    return {"count": count, "results": [workflow.as_dict(r, today) for r in rows]}


def _decide(
    action: str, context: Context, data_dict: DataDict, reason_required: bool = False
) -> dict[str, Any]:
    tk.check_access(f"yiyang_subscription_{action}", context, data_dict)
    row = workflow.get(_text(data_dict, "id"))
    reason = _text(data_dict, "reason")
    if reason_required and not reason:
        raise tk.ValidationError({"reason": [tk._("Give the reason for rejecting")]})
    valid_until = _date(data_dict, "valid_until") if action == "approve" else None
    return workflow.as_dict(workflow.decide(context, row, action, reason, valid_until))


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
    return _decide("approve", context, data_dict)


def yiyang_subscription_reject(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Reject a pending application, giving the reason. The admins of the providing unit.

    :param id: the subscription's id
    :type id: string
    :param reason: why (required)
    :type reason: string
    :rtype: dict
    """
    return _decide("reject", context, data_dict, reason_required=True)


def yiyang_subscription_cancel(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Cancel a pending or approved application (by the applicant side) or revoke an
    approved one (by the providing unit's admins): the access ends at once.

    :param id: the subscription's id
    :type id: string
    :param reason: why (optional)
    :type reason: string
    :rtype: dict
    """
    return _decide("cancel", context, data_dict)


def yiyang_subscription_coordinate(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Ask the e-government office to coordinate a rejected or overdue application. The
    members of the applicant unit.

    :param id: the subscription's id
    :type id: string
    :rtype: dict
    """
    tk.check_access("yiyang_subscription_coordinate", context, data_dict)
    row = workflow.get(_text(data_dict, "id"))
    if not (row.status == workflow.REJECTED or workflow.overdue(row, workdays.today())):
        raise tk.ValidationError(
            {"status": [tk._("Only a rejected or overdue application can be escalated")]}
        )
    if row.coordination_requested:
        raise tk.ValidationError({"status": [tk._("The office was asked already")]})
    row.coordination_requested = True
    row.modified = datetime.datetime.utcnow()
    model.Session.commit()
    return workflow.as_dict(row)
