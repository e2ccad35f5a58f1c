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
    row = workflow.create(
        context, package, unit, data["purpose"], data["purpose_detail"], names or [], valid_until
    )
    return workflow.as_dict(row)


@tk.side_effect_free
def yiyang_subscription_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One application. The members of the two units, reviewers.

    :param id: the subscription's id
    :type id: string
    :rtype: dict
    """
    tk.check_access("yiyang_subscription_show", context, data_dict)
    data = validate(data_dict, schema.subscription(), context)
    return workflow.as_dict(workflow.get(data["id"]))


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
    data = validate(data_dict, schema.subscription_list(), context)
    scope, status = data["scope"], data.get("status")
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
                sa.and_(Subscription.status == states.PENDING, Subscription.due_date <= due_by),
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
    return {"count": count, "results": [workflow.as_dict(r, today) for r in rows]}


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
    """Ask the e-government office to coordinate a rejected or overdue application. The
    members of the applicant unit.

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
