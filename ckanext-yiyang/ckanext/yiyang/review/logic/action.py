"""Actions of review and publication (catalog-model §5). ``id`` is an entry's id or name."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Action, Context, DataDict, Schema

from ckanext.yiyang import roles, visibility, workdays
from ckanext.yiyang.catalog import validation
from ckanext.yiyang.logic.schema import validate
from ckanext.yiyang.review import diff, queue, workflow
from ckanext.yiyang.review.logic import schema


def _act(action: str, context: Context, data_dict: DataDict, schema: Schema) -> dict[str, Any]:
    tk.check_access(f"yiyang_review_{action}", context, data_dict)
    data = validate(data_dict, schema, context)
    package = workflow.get_entry(data["id"])
    opinion = data.get("reason" if action == "withdraw" else "opinion") or ""
    return workflow.transition(context, package, action, opinion, data.get("version") or "")


def yiyang_review_submit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit an entry (or the pending change of a published entry) for review.

    Every rule of the schema applies: an incomplete entry is refused with the errors of its
    fields. By the unit's editors and admins.

    :param id: the entry's id or name
    :type id: string
    :returns: the entry (a pending change: ``yiyang_revision_show``; the recorded step:
        ``yiyang_review_history``)
    :rtype: dict
    """
    return _act("submit", context, data_dict, schema.transition())


def yiyang_review_approve(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Approve a submitted entry (→ published; its release date is set the first time) or a
    submitted change of a published entry (→ written into the entry). Reviewers only.

    Of two concurrent decisions on one entry exactly one is taken; the other is refused.

    :param id: the entry's id or name
    :type id: string
    :param opinion: the reviewer's opinion (optional)
    :type opinion: string
    :param version: the version the reviewer read (``yiyang_revision_show``'s ``version``
        while a change is pending, else the entry's ``metadata_modified``); when given and
        the entry or its change was modified since, the approval is refused (optional)
    :type version: string
    :returns: the entry
    :rtype: dict
    """
    return _act("approve", context, data_dict, schema.transition())


def yiyang_review_return(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Return a submitted entry or change to its unit with a written opinion (意见). Reviewers
    only.

    :param id: the entry's id or name
    :type id: string
    :param opinion: what the unit must correct (required)
    :type opinion: string
    :param version: the version the reviewer read, as for ``yiyang_review_approve``
        (optional)
    :type version: string
    :returns: the entry
    :rtype: dict
    """
    return _act("return", context, data_dict, schema.return_())


def yiyang_review_withdraw(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Withdraw a published entry from the catalog (→ withdrawn). Reviewers and the unit's
    admins.

    :param id: the entry's id or name
    :type id: string
    :param reason: why it is withdrawn (required)
    :type reason: string
    :returns: the entry
    :rtype: dict
    """
    return _act("withdraw", context, data_dict, schema.withdraw())


@tk.side_effect_free
def yiyang_review_history(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The review history of an entry, oldest first: who, when, from, to, the opinion and what
    changed since the last reviewed version. The unit's members and reviewers.

    :param id: the entry's id or name
    :type id: string
    :param limit: the number of steps to return (default 100, at most 500)
    :type limit: int
    :param offset: the number of steps to skip (default 0)
    :type offset: int
    :returns: ``{"count": all steps, "results": [{action, from, to, revision, opinion, actor,
        created, changes}]}``
    :rtype: dict
    """
    tk.check_access("yiyang_review_history", context, data_dict)
    data = validate(data_dict, schema.history(), context)
    package = workflow.get_entry(data["id"])
    events = workflow.history(package.id)
    start = data["offset"]
    return {"count": len(events), "results": events[start : start + data["limit"]]}


@tk.side_effect_free
def yiyang_revision_show(context: Context, data_dict: DataDict) -> dict[str, Any] | None:
    """The pending change (working copy) of a published entry, or null. The unit's members and
    reviewers.

    :param id: the entry's id or name
    :type id: string
    :rtype: ``{"status", "data", "changes", "created_by", "modified", "version"}`` or null
        (``version``: what a decision on the change names)
    """
    tk.check_access("yiyang_revision_show", context, data_dict)
    data = validate(data_dict, schema.entry(), context)
    package = workflow.get_entry(data["id"])
    revision = workflow.revision_of(package.id)
    if revision is None:
        return None
    published = tk.get_action("package_show")({"ignore_auth": True}, {"id": package.id})
    author = model.User.get(revision.created_by)
    return {
        "status": revision.status,
        "data": revision.data,
        "changes": diff.changes(published, revision.data),
        "created_by": author.name if author else revision.created_by,
        "modified": revision.modified.isoformat(),
        "version": workflow.version_of(package, revision),
    }


@tk.side_effect_free
def yiyang_review_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The review queue: entries and changes by review state, with their age in working days
    (China's), oldest first.

    Reviewers see every unit; others see the units they belong to.

    :param status: ``submitted`` (default), ``returned``, ``draft``, ``published``,
        ``withdrawn`` or ``all``
    :type status: string
    :param unit: a unit's id or name (optional)
    :type unit: string
    :param kind: ``entry``, ``revision`` or both (default)
    :type kind: string
    :param limit: at most this many (default 50, at most 500)
    :type limit: int
    :param offset: skip this many (default 0)
    :type offset: int
    :param q: a part of the title or of the resource code (optional)
    :type q: string
    :param submitter: the id or name of the user who last submitted it (optional)
    :type submitter: string
    :param submitted_from: submitted on this day (China's, YYYY-MM-DD) or later (optional)
    :type submitted_from: string
    :param submitted_to: submitted on this day or earlier (optional)
    :type submitted_to: string
    :rtype: ``{"count", "overdue_after": working days, "submitters": [{id, name,
        display_name}], "results": [{id, name, title, resource_code, unit, unit_title, kind,
        status, since, age_workdays, provisional, overdue, submitted_at, submitter,
        submitter_display_name}]}`` (``count``: all that match)
    """
    tk.check_access("yiyang_review_list", context, data_dict)
    data = validate(data_dict, schema.review_list(), context)
    units = roles.visible_units(context.get("user"))
    if data.get("unit"):
        if units is not None and data["unit"] not in units:  # another unit's: not known to them
            raise tk.ValidationError({"unit": [tk._("Unknown unit")]})
        units = [data["unit"]]
    result = queue.listing(
        data["status"],
        units,
        data.get("kind") or None,
        data["limit"],
        data["offset"],
        workdays.today(),
        queue.Search(
            q=data.get("q"),
            submitter=data.get("submitter"),
            submitted_from=data.get("submitted_from"),
            submitted_to=data.get("submitted_to"),
        ),
    )
    result["submitters"] = queue.submitters(units)
    return result


def _is_applying(context: Context) -> bool:
    return bool(context.get(workflow.APPLYING))


@tk.chained_action
def package_update(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """A change of a published entry does not change it: it is validated with every rule and
    kept as the entry's working copy, reviewed like a submission. A submitted entry is frozen
    until it is decided on. Changes of the attached data only (resources) go through. CKAN's
    ``state`` is no way around review (``_check_state_change``)."""
    package = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    if package is None or package.type != visibility.labels.DATASET_TYPE or _is_applying(context):
        return up_func(context, data_dict)
    status = workflow.status_of(package)
    _check_state_change(package, status, data_dict)
    if status not in (workflow.PUBLISHED, workflow.SUBMITTED):
        return up_func(context, data_dict)
    tk.check_access("package_update", context, data_dict)
    published = tk.get_action("package_show")(
        {"ignore_auth": True, "use_cache": False}, {"id": package.id}
    )
    proposed = {**data_dict, "id": package.id}
    if not diff.changes(published, proposed):
        return up_func(context, data_dict)
    if status == workflow.SUBMITTED:
        # What the reviewer reads is what the approval publishes (the unit asks for the
        # entry to be returned to change it).
        _refuse(
            tk._(
                "The entry is waiting for review and cannot be changed; ask the "
                "e-government office to return it first"
            )
        )
    _validate(context, package, proposed)
    workflow.save_revision(
        context,
        package,
        {k: v for k, v in _plain(proposed).items() if k not in workflow.NOT_METADATA},
    )
    result = tk.get_action("package_show")(
        {"user": context.get("user"), "ignore_auth": True}, {"id": package.id}
    )
    if context.get("return_id_only"):
        return package.id
    return result


def _refuse(message: str) -> None:
    raise tk.ValidationError({"review_status": [message]})


def _check_state_change(package: model.Package, status: str, data_dict: DataDict) -> None:
    """CKAN's own state of an entry is not a way around review: a published entry is not
    hidden by ``state=deleted`` or ``draft`` (it is withdrawn, with a reason and notices), an
    entry in review is not changed, and a deleted entry does not come back by an edit."""
    wanted = data_dict.get("state")
    if wanted is None or wanted == package.state:
        return
    if package.state == "deleted":
        _refuse(tk._("A deleted entry cannot be restored by editing it"))
    if status == workflow.PUBLISHED:
        _refuse(tk._("A published entry leaves the catalog by withdrawal, giving the reason"))
    if status == workflow.SUBMITTED:
        _refuse(
            tk._(
                "The entry is waiting for review and cannot be changed; ask the "
                "e-government office to return it first"
            )
        )


def _validate(context: Context, package: model.Package, data: DataDict) -> None:
    errors = validation.validate({**context, workflow.APPLYING: True}, data, package)
    if errors:
        raise tk.ValidationError(errors)


def _plain(data: DataDict) -> dict[str, Any]:
    """The JSON-safe part of a form's or the API's data (uploads and the like are dropped)."""
    import json

    return json.loads(json.dumps(data, default=lambda _v: None))


@tk.chained_action
def package_delete(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """A published entry leaves the catalog by withdrawal (with a reason), not by deletion;
    an entry in review is not deleted under the reviewer."""
    package = model.Package.get(data_dict.get("id") or "")
    if package is not None and package.type == visibility.labels.DATASET_TYPE:
        status = workflow.status_of(package)
        if status == workflow.PUBLISHED:
            _refuse(
                tk._("A published entry cannot be deleted: withdraw it first, giving the reason")
            )
        if status == workflow.SUBMITTED:
            _refuse(
                tk._(
                    "The entry is waiting for review and cannot be changed; ask the "
                    "e-government office to return it first"
                )
            )
    return up_func(context, data_dict)


@tk.chained_action
def package_owner_org_update(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """A published entry or one in review does not move to another unit past review (CKAN's
    own ``package_update`` calls this with the unit it just saved: no move, it goes through)."""
    package = model.Package.get(str(data_dict.get("id") or ""))
    wanted = model.Group.get(str(data_dict.get("organization_id") or ""))
    if (
        package is not None
        and package.type == visibility.labels.DATASET_TYPE
        and not _is_applying(context)
        and workflow.status_of(package) in (workflow.PUBLISHED, workflow.SUBMITTED)
        and (wanted.id if wanted else None) != package.owner_org
    ):
        _refuse(tk._("The unit of an entry in review or published changes through review"))
    return up_func(context, data_dict)


def _refuse_bulk(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    ids = data_dict.get("datasets") or []
    entries = (
        model.Session.query(model.Package.id)
        .filter(model.Package.id.in_(ids), model.Package.type == visibility.labels.DATASET_TYPE)
        .count()
        if ids
        else 0
    )
    if entries:
        raise tk.ValidationError(
            {
                "datasets": [
                    tk._(
                        "Who may see a catalog entry follows its review state and disclosure scope; "
                        "publish or withdraw entries through review"
                    )
                ]
            }
        )
    return up_func(context, data_dict)


@tk.chained_action
def bulk_update_private(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Refused for catalog entries: publication goes through review."""
    return _refuse_bulk(up_func, context, data_dict)


@tk.chained_action
def bulk_update_public(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Refused for catalog entries: publication goes through review."""
    return _refuse_bulk(up_func, context, data_dict)


@tk.chained_action
def bulk_update_delete(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Refused for published catalog entries (they are withdrawn, not deleted) and for
    entries in review."""
    ids = data_dict.get("datasets") or []
    for package_id in ids:
        package = model.Package.get(package_id)
        if package is not None and workflow.status_of(package) in (
            workflow.PUBLISHED,
            workflow.SUBMITTED,
        ):
            return _refuse_bulk(up_func, context, data_dict)
    return up_func(context, data_dict)
