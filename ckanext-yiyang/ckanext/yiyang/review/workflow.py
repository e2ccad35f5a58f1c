"""What a review transition does to an entry or its working copy (``Revision``); the states
and transitions themselves are declared in ``states.py``.

A transition writes the entry, records the step and commits, unless the caller's context has
``defer_commit``: then nothing is committed, and, as with CKAN's own ``package_update``, the
caller commits (or rolls everything back) and indexes the entry.

A transition starts with one conditional ``UPDATE … WHERE <state> IN (the states it starts
from) RETURNING`` of the entry's row (of its working copy's, when a change is reviewed): of two
concurrent steps exactly one finds the row in the state it starts from; the other waits for it
to commit, finds the row moved on and is refused. A decision may name the version it decides
on (``version``: the entry's ``metadata_modified``, the working copy's ``modified``): if the
entry or copy changed since, the decision is refused.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context
from sqlalchemy.dialects import postgresql

from ckanext.yiyang import visibility
from ckanext.yiyang.catalog import validation
from ckanext.yiyang.logic import transaction
from ckanext.yiyang.review import activity, diff, states
from ckanext.yiyang.review.model import ReviewEvent, Revision
from ckanext.yiyang.review.states import DRAFT, PUBLISHED, SUBMITTED

__all__ = ["DRAFT", "PUBLISHED", "SUBMITTED"]
# Set in the context of the package_update that our own transitions make: it passes the
# working-copy diversion and may set the system fields.
APPLYING = "yiyang_review_applying"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def status_of(package: model.Package) -> str:
    return (package.extras or {}).get("review_status") or DRAFT


def revision_of(package_id: str) -> Revision | None:
    return model.Session.get(Revision, package_id)


def get_entry(id_or_name: str) -> model.Package:
    package = model.Package.get(id_or_name or "")
    if (
        package is None
        or package.type != visibility.labels.DATASET_TYPE
        or package.state == "deleted"
    ):
        raise tk.ObjectNotFound(tk._("Catalog entry not found"))
    return package


def today_in_china() -> str:
    return datetime.datetime.now(SHANGHAI).date().isoformat()


def _show(package_id: str) -> dict[str, Any]:
    return tk.get_action("package_show")(
        {"ignore_auth": True, "use_cache": False}, {"id": package_id}
    )


def _last_decided_snapshot(package_id: str, revision: bool | None = None) -> dict[str, Any]:
    query = model.Session.query(ReviewEvent).filter(
        ReviewEvent.package_id == package_id, ReviewEvent.snapshot.isnot(None)
    )
    event = query.order_by(ReviewEvent.created.desc()).first()
    return event.snapshot if event is not None and event.snapshot else {}


def _last_submission(package_id: str) -> ReviewEvent | None:
    return (
        model.Session.query(ReviewEvent)
        .filter(ReviewEvent.package_id == package_id, ReviewEvent.action == "submit")
        .order_by(ReviewEvent.created.desc())
        .first()
    )


def _record(
    package_id: str,
    actor_id: str,
    action: str,
    from_status: str,
    to_status: str,
    revision: bool,
    opinion: str,
    changes: list[Any],
    snapshot: dict[str, Any] | None = None,
) -> ReviewEvent:
    event = ReviewEvent(
        package_id=package_id,
        actor_id=actor_id,
        action=action,
        from_status=from_status,
        to_status=to_status,
        revision=revision,
        opinion=opinion or "",
        changes=changes,
        snapshot=snapshot,
    )
    model.Session.add(event)
    return event


def _update_entry(
    context: Context, package_id: str, changes: dict[str, Any], system: dict[str, Any]
) -> dict[str, Any]:
    """Write ``changes`` into the entry as the acting user, with system fields decided here."""
    if context.get("defer_commit"):
        return _update_entry_deferred(context, package_id, changes, system)
    update_context: Context = {
        "user": context.get("user"),
        "ignore_auth": True,
        APPLYING: True,
        "yiyang_system_override": system,
    }
    return tk.get_action("package_patch")(update_context, {"id": package_id, **changes})


def _update_entry_deferred(
    context: Context, package_id: str, changes: dict[str, Any], system: dict[str, Any]
) -> dict[str, Any]:
    """The entry's own step within the caller's transaction. CKAN 2.12's ``package_update``
    cannot join one: with ``defer_commit`` it rolls its own savepoint back and the change is
    lost. An entry's step only sets its state and system fields, so it is written here, after
    the check ``package_update`` would make on submission; as with a deferred core action, the
    caller commits and indexes the entry (no activity is recorded)."""
    if set(changes) - {"state"}:
        raise RuntimeError("only an entry's state and system fields are written deferred")
    package = model.Package.get(package_id)
    assert package is not None
    if "state" in changes:  # submission: every rule applies
        errors = validation.validate({**context, APPLYING: True}, _show(package_id), package)
        if errors:
            raise tk.ValidationError(errors)
        package.state = changes["state"]
    package.extras = {**(package.extras or {}), **system}
    package.metadata_modified = datetime.datetime.utcnow()
    model.Session.flush()
    return _show(package_id)


def version_of(package: model.Package, revision: Revision | None = None) -> str:
    """The token of the version a reviewer decides on: the working copy's ``modified`` while
    a change of a published entry is pending, else the entry's ``metadata_modified``."""
    if revision is not None and status_of(package) == PUBLISHED:
        return revision.modified.isoformat()
    return package.metadata_modified.isoformat() if package.metadata_modified else ""


def _version_time(version: str) -> datetime.datetime:
    try:
        return datetime.datetime.fromisoformat(version)
    except ValueError:
        raise tk.ValidationError(
            {"version": [tk._("Not a version of this entry: open the entry again")]}
        ) from None


def _changed_since(current: str) -> None:
    raise tk.ValidationError(
        {
            "version": [
                tk._(
                    "The entry was changed after you opened it (now: {state}); open it again "
                    "and decide on the current version"
                ).format(state=current)
            ]
        }
    )


def _claim_entry(package: model.Package, action: str, version: str) -> None:
    """Lock the entry's row if it is still in a state ``action`` starts from (and, when
    given, still the ``version`` decided on); refuse otherwise, naming its state now."""
    table = model.package_table
    status = sa.func.coalesce(table.c.extras["review_status"].astext, DRAFT)
    statement = (
        sa.update(table)
        .where(
            table.c.id == package.id,
            table.c.state != "deleted",
            status.in_(sorted(states.ENTRY.starts(action))),
        )
        # a no-op write: the row stays locked to this transaction until it ends
        .values(extras=table.c.extras)
        .returning(table.c.id)
    )
    if version:
        statement = statement.where(table.c.metadata_modified == _version_time(version))
    if model.Session.execute(statement).first() is not None:
        return
    model.Session.refresh(package)
    current = status_of(package)
    if package.state == "deleted":
        raise tk.ObjectNotFound(tk._("Catalog entry not found"))
    if not states.ENTRY.allows(action, current):
        _refuse(action, current)
    _changed_since(states.ENTRY.label(current))


def _claim_revision(
    package: model.Package, revision: Revision, action: str, version: str
) -> dict[str, Any]:
    """Move the working copy from a state ``action`` starts from to its target (approve:
    remove it, its change is written into the entry) in one conditional statement; refuse
    if a concurrent step moved it first or it is no longer the ``version`` decided on.
    Returns the copy's data as it was."""
    table = Revision.__table__
    now = datetime.datetime.utcnow()
    where = [
        table.c.package_id == package.id,
        table.c.status.in_(sorted(states.REVISION.starts(action))),
    ]
    if version:
        where.append(table.c.modified == _version_time(version))
    statement: Any
    if action == "approve":
        statement = sa.delete(table).where(*where)
    else:
        values: dict[str, Any] = {"status": states.REVISION.target(action), "modified": now}
        if action == "submit":
            values["submitted_at"] = now
        statement = sa.update(table).where(*where).values(**values)
    row = model.Session.execute(statement.returning(table.c.data)).first()
    if row is not None:
        if action == "approve":
            model.Session.expunge(revision)
        else:
            model.Session.expire(revision)
        return row[0]
    current = model.Session.execute(
        sa.select(table.c.status).where(table.c.package_id == package.id)
    ).scalar()
    if current is None:  # approved (or dropped) meanwhile: the entry's state tells
        model.Session.refresh(package)
        current = status_of(package)
    if not states.REVISION.allows(action, current):
        _refuse(action, current)
    _changed_since(states.ENTRY.label(current))
    raise AssertionError  # unreachable: _changed_since raises


def _actor_id(context: Context) -> str:
    user = model.User.get(context.get("user") or "")
    return user.id if user is not None else (context.get("user") or "")


def _refuse(action: str, current: str) -> None:
    raise tk.ValidationError(
        {
            "review_status": [
                tk._("An entry that is {state} cannot be {action}").format(
                    state=states.ENTRY.label(current),
                    action=_action_past(action),
                )
            ]
        }
    )


def _action_past(action: str) -> str:
    _ = tk._
    return {
        "submit": _("submitted for review"),
        "approve": _("approved"),
        "return": _("returned"),
        "withdraw": _("withdrawn"),
    }[action]


def transition(
    context: Context,
    package: model.Package,
    action: str,
    opinion: str = "",
    version: str = "",
) -> dict[str, Any]:
    """Carry out ``action`` on the entry or, when one is pending, on its working copy
    (``version``: the one decided on, see the module's docstring). Returns the entry
    (``package_show``)."""
    revision = revision_of(package.id) if action != "withdraw" else None
    actor = _actor_id(context)
    if revision is not None and status_of(package) == PUBLISHED:
        return _transition_revision(context, package, revision, action, opinion, actor, version)

    current = status_of(package)
    if not states.ENTRY.allows(action, current):
        _refuse(action, current)
    _claim_entry(package, action, version)
    target = states.ENTRY.target(action)
    system: dict[str, Any] = {"review_status": target}
    changes: dict[str, Any] = {}
    snapshot = None
    if action == "submit":
        changes["state"] = "active"  # a CKAN draft is finished by submitting it: every rule
    if action == "approve" and not (package.extras or {}).get("release_date"):
        system["release_date"] = today_in_china()
    before = _show(package.id)
    if action == "submit":
        recorded = diff.changes(_last_decided_snapshot(package.id), before)
    elif action in ("approve", "return"):
        last = _last_submission(package.id)
        recorded = last.changes if last is not None else []
        snapshot = diff.snapshot(before)
    else:
        recorded = []
    before_step = activity.newest(package.id)
    entry = _update_entry(context, package.id, changes, system)
    activity.mark(package.id, before_step, action)
    _record(package.id, actor, action, current, target, False, opinion, recorded, snapshot)
    visibility.labels.restrict_activities(package)
    transaction.commit(context)
    return entry


def _transition_revision(
    context: Context,
    package: model.Package,
    revision: Revision,
    action: str,
    opinion: str,
    actor: str,
    version: str = "",
) -> dict[str, Any]:
    if not states.REVISION.allows(action, revision.status):
        _refuse(action, revision.status)
    if action == "approve" and context.get("defer_commit"):
        # writing a change of the metadata needs package_update, which cannot be deferred
        raise RuntimeError("approving a working copy cannot be deferred (CKAN 2.12)")
    target = states.REVISION.target(action)
    from_status = revision.status
    author_id = revision.created_by
    data = _claim_revision(package, revision, action, version)
    published = _show(package.id)
    recorded = diff.changes(published, data)
    entry = published
    snapshot = None
    if action == "approve":
        author = model.User.get(author_id)
        apply_context: Context = {"user": author.name if author else context.get("user")}
        before_step = activity.newest(package.id)
        entry = _update_entry(apply_context, package.id, _applicable(data), {})
        activity.mark(package.id, before_step, activity.APPROVE_CHANGE)
        snapshot = diff.snapshot(entry)
    elif action == "return":
        snapshot = diff.snapshot(data)
    _record(package.id, actor, action, from_status, target, True, opinion, recorded, snapshot)
    visibility.labels.restrict_activities(package)
    transaction.commit(context)
    return entry


# What a form posts besides the metadata (the stage of CKAN's form, its buttons) and what the
# entry's own life decides (its CKAN state, who sees it): never part of a change.
NOT_METADATA = frozenset(
    {"id", "resources", "state", "private", "save", "_ckan_phase", "pkg_name", "type"}
)


def _applicable(data: dict[str, Any]) -> dict[str, Any]:
    """A working copy as the change to write: its metadata only."""
    return {k: v for k, v in data.items() if k not in diff.SYSTEM_FIELDS and k not in NOT_METADATA}


def save_revision(context: Context, package: model.Package, data: dict[str, Any]) -> Revision:
    """Keep a change of a published entry as its working copy (status draft: the unit submits
    it). A returned copy that is edited again becomes a draft again. One conditional upsert:
    a copy that is submitted meanwhile (by a concurrent request too) is not overwritten."""
    now = datetime.datetime.utcnow()
    table = Revision.__table__
    insert = postgresql.insert(table).values(
        package_id=package.id,
        created_by=_actor_id(context),
        created=now,
        data=data,
        status=DRAFT,
        modified=now,
    )
    saved = model.Session.execute(
        insert.on_conflict_do_update(
            index_elements=[table.c.package_id],
            set_={"data": insert.excluded.data, "status": DRAFT, "modified": now},
            where=table.c.status != SUBMITTED,
        ).returning(table.c.package_id)
    ).first()
    if saved is None:
        raise tk.ValidationError(
            {
                "review_status": [
                    tk._(
                        "The change is waiting for review; it cannot be edited until it is returned"
                    )
                ]
            }
        )
    revision = revision_of(package.id)
    assert revision is not None
    model.Session.refresh(revision)
    transaction.commit(context)
    return revision


def event_dict(event: ReviewEvent) -> dict[str, Any]:
    actor = model.User.get(event.actor_id)
    return {
        "id": event.id,
        "package_id": event.package_id,
        "action": event.action,
        "from": event.from_status,
        "to": event.to_status,
        "revision": event.revision,
        "opinion": event.opinion,
        "actor": actor.name if actor else event.actor_id,
        "actor_display_name": actor.display_name if actor else event.actor_id,
        "created": event.created.isoformat(),
        "changes": event.changes,
    }


def last_event(package_id: str) -> dict[str, Any] | None:
    """The entry's latest recorded step (what the notices of a transition tell)."""
    event = (
        model.Session.query(ReviewEvent)
        .filter(ReviewEvent.package_id == package_id)
        .order_by(ReviewEvent.created.desc())
        .first()
    )
    return event_dict(event) if event is not None else None


def history(package_id: str) -> list[dict[str, Any]]:
    events = (
        model.Session.query(ReviewEvent)
        .filter(ReviewEvent.package_id == package_id)
        .order_by(ReviewEvent.created.asc())
        .all()
    )
    return [event_dict(e) for e in events]
