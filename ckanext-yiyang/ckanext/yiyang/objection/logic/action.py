"""Actions of objections (数据异议, catalog-model §11) and usage feedback (共享成效评价).
``id`` is an objection's (or a feedback's) id.

Every action that changes an objection returns the objection; the notices
(``subscriptions.py``) are sent from that.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict, Schema

from ckanext.yiyang import roles, workdays
from ckanext.yiyang.logic import transaction
from ckanext.yiyang.logic.schema import validate
from ckanext.yiyang.objection import attachment, feedback, states, workflow
from ckanext.yiyang.objection.logic import schema
from ckanext.yiyang.objection.model import Objection


def _user(context: Context) -> model.User:
    user = model.User.get(context.get("user") or "")
    if user is None:
        raise tk.NotAuthorized(tk._("Log in first"))
    return user


def _prepare(
    action: str, context: Context, data_dict: DataDict, schema: Schema
) -> tuple[Objection, dict[str, Any]]:
    data = validate(data_dict, schema, context)
    objection = workflow.get_objection(data["id"])
    tk.check_access(f"yiyang_objection_{action}", context, data_dict)
    assert objection is not None
    return objection, data


def _visible_entry(context: Context, id_or_name: str) -> dict[str, Any]:
    """The entry as the user sees it; one that does not exist and one the user may not see
    get the same answer."""
    package = model.Package.get(id_or_name)
    missing = tk.ValidationError({"dataset_id": [tk._("Catalog entry not found")]})
    if package is None or package.state != "active" or package.type != "dataset":
        raise missing
    try:
        return tk.get_action("package_show")({"user": context.get("user")}, {"id": package.id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        raise missing from None


def yiyang_objection_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Raise an objection (提出异议) on a catalog entry, one of its 信息项, or its data. The
    entry is marked 有异议 (``has_objection``) until the objection is closed. The office has
    ``ckanext.yiyang.objection.accept_days`` working days to accept it. Logged-in users who
    may see the entry.

    :param dataset_id: the entry's id or name
    :type dataset_id: string
    :param kind: ``data_error`` 数据错误, ``data_missing`` 数据缺失, ``stale`` 更新不及时,
        ``catalog_mismatch`` 目录描述不符 or ``other``
    :type kind: string
    :param description: what is wrong
    :type description: string
    :param data_item: the name of the 信息项 concerned (optional)
    :type data_item: string
    :param resource_id: the resource (data) concerned (optional)
    :type resource_id: string
    :param attachment_url: a link to a supporting file (optional)
    :type attachment_url: string
    :param upload: a supporting file (optional; a multipart upload, like a resource's): one of
        ``ckanext.yiyang.objection.attachment_types``, at most
        ``ckanext.yiyang.objection.attachment_max_mb`` MB; served at
        ``/objection/<id>/attachment`` to those who may see the objection
    :type upload: file
    :returns: the objection
    :rtype: dict
    """
    tk.check_access("yiyang_objection_create", context, data_dict)
    upload = data_dict.get(attachment.FIELD)
    data = validate(
        {k: v for k, v in data_dict.items() if k != attachment.FIELD}, schema.create(), context
    )
    user = _user(context)
    entry = _visible_entry(context, data["dataset_id"])
    item = data.get("data_item")
    if item and item not in {i.get("name") for i in entry.get("data_items") or []}:
        raise tk.ValidationError({"data_item": [tk._("The entry has no such data item")]})
    resource = data.get("resource_id")
    if resource and resource not in {r["id"] for r in entry.get("resources") or []}:
        raise tk.ValidationError({"resource_id": [tk._("The entry has no such resource")]})
    # checked last: a refused file is removed at once, a kept one only once all else passed
    received = attachment.receive(upload) if attachment.is_given(upload) else None
    now = datetime.datetime.utcnow()
    objection_id = str(uuid.uuid4())
    kept = attachment.keep(received, objection_id) if received else {}
    objection = Objection(
        id=objection_id,
        dataset_id=entry["id"],
        owner_org=entry["owner_org"],
        kind=data["kind"],
        description=data["description"],
        data_item=item,
        resource_id=resource,
        attachment_url=data.get("attachment_url"),
        raised_by=user.id,
        status=states.RAISED,
        created=now,
        modified=now,
        **workflow.accept_due(now),
        **kept,
    )
    try:
        model.Session.add(objection)
        model.Session.flush()
        workflow.record(objection, "create", user.id, None, data["description"])
        transaction.commit(context)
    except BaseException:
        attachment.discard(received, kept)
        raise
    if not context.get("defer_commit"):
        workflow.reindex(objection.dataset_id)
    return workflow.dictize(objection)


@tk.side_effect_free
def yiyang_objection_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """An objection with its history (档案). The raiser, the providing unit's members,
    reviewers (the office), sysadmins.

    :param id: the objection's id
    :type id: string
    :rtype: dict (``dataset, provider, kind, description, data_item, status, due_date,
        overdue, late, extended, contested, outcome, reason, revision, history`` …)
    """
    objection, _data = _prepare("show", context, data_dict, schema.objection())
    return workflow.dictize(objection, history=True)


@tk.side_effect_free
def yiyang_objection_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Objections the user may see, newest first. Logged-in users: those they raised and
    those on their units' entries; reviewers and sysadmins: all.

    :param scope: ``raised`` (by the user), ``provided`` (on the user's units' entries: the
        provider's inbox), ``office`` (raised or contested: the office's queue) or ``all``
    :type scope: string
    :param status: one state, ``open`` (not closed) or ``all`` (default)
    :type status: string
    :param dataset_id: only those on this entry (id)
    :type dataset_id: string
    :param org: only those on this unit's entries
    :type org: string
    :param raised_by: only those raised by this user (name or id)
    :type raised_by: string
    :param overdue: only the overdue ones
    :type overdue: bool
    :param limit: at most this many (default 50, at most 500)
    :type limit: int
    :param offset: skip this many
    :type offset: int
    :rtype: ``{"count", "results": [objection, …]}``
    """
    tk.check_access("yiyang_objection_list", context, data_dict)
    data = validate(data_dict, schema.objection_list(), context)
    name = context.get("user")
    user = _user(context)
    query = model.Session.query(Objection)
    units = roles.units_of(name)
    if not roles.is_reviewer(name):
        query = query.filter((Objection.raised_by == user.id) | Objection.owner_org.in_(units))
    scope = data["scope"]
    if scope == "raised":
        query = query.filter(Objection.raised_by == user.id)
    elif scope == "provided":
        query = query.filter(Objection.owner_org.in_(units))
    elif scope == "office":
        query = query.filter(Objection.status.in_((states.RAISED, states.CONTESTED)))
    status = data["status"]
    if status == states.OPEN_FILTER:
        query = query.filter(Objection.status != states.CLOSED)
    elif status != states.ALL:
        query = query.filter(Objection.status == status)
    if data.get("dataset_id"):
        package = model.Package.get(data["dataset_id"])
        query = query.filter(Objection.dataset_id == (package.id if package else ""))
    if data.get("org"):
        query = query.filter(Objection.owner_org == data["org"])
    if data.get("raised_by"):
        raiser = model.User.get(data["raised_by"])
        query = query.filter(Objection.raised_by == (raiser.id if raiser else ""))
    if data["overdue"]:
        query = query.filter(
            Objection.status.in_(states.PENDING), Objection.due_date < workdays.today()
        )
    count = query.count()
    rows = (
        query.order_by(Objection.created.desc(), Objection.id)
        .limit(data["limit"])
        .offset(data["offset"])
        .all()
    )
    return {"count": count, "results": [workflow.dictize(o) for o in rows]}


def yiyang_objection_accept(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Accept a raised objection (受理) and forward it to the providing unit, which has
    ``ckanext.yiyang.objection.verify_days`` working days to verify it. Reviewers (the
    office), sysadmins.

    :param id: the objection's id
    :type id: string
    :param reason: a note to the provider (optional)
    :type reason: string
    :returns: the objection
    :rtype: dict
    """
    objection, data = _prepare("accept", context, data_dict, schema.optional_reason())
    workflow.check(objection, "accept")
    now = datetime.datetime.utcnow()
    workflow.transition(
        context,
        objection,
        "accept",
        note=data.get("reason") or "",
        accepted_at=now,
        **workflow.verify_due(now),
    )
    return workflow.dictize(objection)


def _revision_of(dataset_id: str, revision: str) -> bool:
    """``revision`` is a review step, an activity or a resource (a data reload) of the entry."""
    from ckanext.yiyang.review.model import ReviewEvent

    if model.Session.query(ReviewEvent.id).filter_by(id=revision, package_id=dataset_id).first():
        return True
    resource = model.Resource.get(revision)
    if resource is not None and resource.package_id == dataset_id:
        return True
    try:
        from ckanext.activity.model import Activity
    except ImportError:  # activity plugin not installed
        return False
    return bool(
        model.Session.query(Activity.id).filter_by(id=revision, object_id=dataset_id).first()
    )


def yiyang_objection_resolve(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Verify an accepted objection (核实与处理): ``corrected`` (已更正, naming the
    revision that corrected it) or ``maintained`` (维持原数据, with the reason). The
    providing unit's editors and admins, sysadmins.

    :param id: the objection's id
    :type id: string
    :param outcome: ``corrected`` or ``maintained``
    :type outcome: string
    :param reason: why the data stays (required for ``maintained``), or a note
    :type reason: string
    :param revision: what corrected it: the id of a review step (``yiyang_review_event``), an
        activity of the entry, or the resource whose data was reloaded (required for
        ``corrected``)
    :type revision: string
    :returns: the objection
    :rtype: dict
    """
    objection, data = _prepare("resolve", context, data_dict, schema.resolve())
    outcome = data["outcome"]
    action = "correct" if outcome == states.CORRECTED else "maintain"
    workflow.check(objection, action)
    reason, revision = data.get("reason") or "", data.get("revision")
    if outcome == states.MAINTAINED and not reason:
        raise tk.ValidationError({"reason": [tk._("Give the reason the data is maintained")]})
    if outcome == states.CORRECTED:
        if not revision:
            raise tk.ValidationError(
                {"revision": [tk._("Name the revision or data reload that corrected it")]}
            )
        if not _revision_of(objection.dataset_id, revision):
            raise tk.ValidationError(
                {"revision": [tk._("No such revision or data reload of this entry")]}
            )
    workflow.transition(
        context,
        objection,
        action,
        note=reason,
        outcome=outcome,
        reason=reason,
        revision=revision if outcome == states.CORRECTED else None,
    )
    return workflow.dictize(objection)


def yiyang_objection_extend(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Extend the verification once, with a reason: it is then due
    ``ckanext.yiyang.objection.extended_days`` working days after the acceptance. The
    providing unit's editors and admins, sysadmins.

    :param id: the objection's id
    :type id: string
    :param reason: why more time is needed
    :type reason: string
    :returns: the objection
    :rtype: dict
    """
    objection, data = _prepare("extend", context, data_dict, schema.with_reason())
    workflow.check(objection, "extend")
    start = objection.accepted_at or objection.created
    workflow.transition(
        context,
        objection,
        "extend",
        note=data["reason"],
        once="extended",
        **workflow.verify_due(start, extended=True),
    )
    return workflow.dictize(objection)


def yiyang_objection_contest(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Contest the outcome once, to the office, which decides within
    ``ckanext.yiyang.objection.accept_days`` working days (the entry is marked again). The
    raiser.

    :param id: the objection's id
    :type id: string
    :param reason: why the outcome is wrong
    :type reason: string
    :returns: the objection
    :rtype: dict
    """
    objection, data = _prepare("contest", context, data_dict, schema.with_reason())
    workflow.check(objection, "contest")
    workflow.transition(
        context,
        objection,
        "contest",
        note=data["reason"],
        once="contested",
        closed_at=None,
        **workflow.accept_due(datetime.datetime.utcnow()),
    )
    return workflow.dictize(objection)


def yiyang_objection_decide(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The office's binding decision on a contested outcome: ``reopen`` (the provider
    verifies again, ``verify_days`` from now) or ``uphold`` (the outcome stands; closed,
    mark removed). Reviewers (the office), sysadmins.

    :param id: the objection's id
    :type id: string
    :param decision: ``reopen`` or ``uphold``
    :type decision: string
    :param reason: the decision's reasons
    :type reason: string
    :returns: the objection
    :rtype: dict
    """
    objection, data = _prepare("decide", context, data_dict, schema.decide())
    action = data["decision"]
    workflow.check(objection, action)
    values: dict[str, Any] = {}
    if action == "reopen":
        now = datetime.datetime.utcnow()
        values = {"accepted_at": now, "outcome": None, **workflow.verify_due(now)}
    workflow.transition(context, objection, action, note=data["reason"], **values)
    return workflow.dictize(objection)


def yiyang_objection_close(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Close the objection and remove the entry's mark (标注撤销): once verified, or a raised
    one that is no objection at all (with the reason). Reviewers (the office), sysadmins.

    :param id: the objection's id
    :type id: string
    :param reason: why (required when closing a raised objection)
    :type reason: string
    :returns: the objection
    :rtype: dict
    """
    objection, data = _prepare("close", context, data_dict, schema.optional_reason())
    workflow.check(objection, "close")
    reason = data.get("reason") or ""
    if objection.status == states.RAISED and not reason:
        raise tk.ValidationError({"reason": [tk._("Give the reason")]})
    workflow.transition(context, objection, "close", note=reason)
    return workflow.dictize(objection)


# Usage feedback (共享成效评价) -----------------------------------------------------------


def yiyang_feedback_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Rate a granted application (共享成效评价, GB/T 38664.4): 数据质量, 及时性, 满意度
    (1–5 each) and the outcome of the use (应用成效). Once per grant; it cannot be changed
    afterwards (the provider may have replied to it). The applicant unit's members.

    :param subscription_id: the granted application's id
    :type subscription_id: string
    :param quality: 数据质量, 1–5
    :type quality: int
    :param timeliness: 及时性, 1–5
    :type timeliness: int
    :param satisfaction: 满意度, 1–5
    :type satisfaction: int
    :param outcome: 应用成效
    :type outcome: string
    :returns: the feedback
    :rtype: dict
    """
    data = validate(data_dict, schema.feedback_create(), context)
    subscription = feedback.get_subscription(data["subscription_id"])
    tk.check_access("yiyang_feedback_create", context, data_dict)
    return feedback.create(context, subscription, _user(context), data)


def yiyang_feedback_reply(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The providing unit's reply to a feedback (once). Its editors and admins, sysadmins.

    :param id: the feedback's id
    :type id: string
    :param reply: the reply
    :type reply: string
    :returns: the feedback
    :rtype: dict
    """
    data = validate(data_dict, schema.feedback_reply(), context)
    found = feedback.get_feedback(data["id"])
    tk.check_access("yiyang_feedback_reply", context, data_dict)
    return feedback.reply(context, found, _user(context), data["reply"])


@tk.side_effect_free
def yiyang_feedback_show(context: Context, data_dict: DataDict) -> dict[str, Any] | None:
    """The feedback on an application (None if there is none yet). The applicant and the
    providing unit's members, reviewers, sysadmins.

    :param subscription_id: the application's id
    :type subscription_id: string
    :rtype: dict or None
    """
    subscription = feedback.get_subscription(str(data_dict.get("subscription_id") or ""))
    tk.check_access("yiyang_feedback_show", context, data_dict)
    found = feedback.of_subscription(subscription.id)
    return feedback.dictize(found) if found else None


@tk.side_effect_free
def yiyang_feedback_summary(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Average ratings and counts, per entry and per providing unit (optionally of one entry
    or one unit). Logged-in government users.

    :param dataset_id: only this entry (optional)
    :type dataset_id: string
    :param org: only this providing unit (optional)
    :type org: string
    :rtype: ``{"count", "quality", "timeliness", "satisfaction", "by_entry": […],
        "by_unit": […]}`` (averages rounded to two decimals; None without feedback)
    """
    tk.check_access("yiyang_feedback_summary", context, data_dict)
    data = validate(data_dict, schema.feedback_summary(), context)
    return feedback.summary(data.get("dataset_id"), data.get("org"))


__all__ = [
    "yiyang_feedback_create",
    "yiyang_feedback_reply",
    "yiyang_feedback_show",
    "yiyang_feedback_summary",
    "yiyang_objection_accept",
    "yiyang_objection_close",
    "yiyang_objection_contest",
    "yiyang_objection_create",
    "yiyang_objection_decide",
    "yiyang_objection_extend",
    "yiyang_objection_list",
    "yiyang_objection_resolve",
    "yiyang_objection_show",
]
