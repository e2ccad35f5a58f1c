"""What the application transitions do (catalog-model §7, §11); the states and transitions
are declared in ``states.py`` (read its docstring for the lifecycle and the stored names).

Every transition is one conditional ``UPDATE … WHERE status IN (the states it starts from)``
(:func:`transition`): of two concurrent decisions exactly one changes the row, the other is
told it was decided already. The step is written to the history (``SubscriptionEvent``) in the
same transaction, marked late when taken after its due date. Each commits unless the caller's
context has ``defer_commit``.

Deadlines, in working days of China's official calendar (options in ``config.py``): the office's
compliance review (2), the provider's answer (5 when the entry has data, else 10), the
negotiation of a contested refusal (5), the office's coordination (10); ``due_date`` is always
the current step's.
"""

from __future__ import annotations

import dataclasses
import datetime
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context
from sqlalchemy.dialects import postgresql

from ckanext.yiyang import workdays
from ckanext.yiyang.logic import transaction
from ckanext.yiyang.subscription import config, states
from ckanext.yiyang.subscription.model import Subscription, SubscriptionEvent
from ckanext.yiyang.subscription.states import APPROVED, PENDING, REJECTED

__all__ = ["APPROVED", "PENDING", "REJECTED"]

PURPOSES = (
    "administrative_basis",
    "work_reference",
    "data_verification",
    "business_collaboration",
    "other",
)


def get(subscription_id: str) -> Subscription:
    row = model.Session.get(Subscription, subscription_id or "")
    if row is None:
        raise tk.ObjectNotFound(tk._("Subscription not found"))
    return row


def user_id(context: Context) -> str:
    user = model.User.get(context.get("user") or "")
    return user.id if user is not None else (context.get("user") or "")


def overdue(row: Subscription, today: datetime.date) -> bool:
    """Waiting for someone (office, provider, the two units) and a working day has begun
    after the step's due date."""
    if row.status not in states.WAITING or row.due_date is None:
        return False
    return workdays.workdays_between(row.due_date, today).days > 0


def may_coordinate(status: str, overdue: bool) -> bool:
    """The office can be asked to coordinate a refused, a negotiated or an overdue
    application."""
    return status in (REJECTED, states.NEGOTIATING) or (status == PENDING and overdue)


def has_data(package: model.Package) -> bool:
    """The entry has data attached: a DataStore table, an uploaded or a linked resource."""
    return any(
        r.state == "active" and (r.url or (r.extras or {}).get("datastore_active"))
        for r in package.resources
    )


def _due(days: int) -> dict[str, Any]:
    deadline = workdays.add_workdays(workdays.today(), days)
    return {"due_date": deadline.due, "provisional_due": deadline.provisional}


def answer_due(package: model.Package) -> dict[str, Any]:
    """The provider's answer window: shorter when the entry has data (2025 rules, with the
    compliance review); without the review, the 2016 single ``answer_days``."""
    data = has_data(package)
    short = data and config.compliance_review()
    days = config.answer_days_with_data() if short else config.answer_days()
    return {**_due(days), "has_data": data, "forwarded_at": datetime.datetime.utcnow()}


def label(state: str) -> str:
    return states.MACHINE.label(state)


def purpose_label(purpose: str) -> str:
    _ = tk._
    return {
        "administrative_basis": _("As an administrative basis"),
        "work_reference": _("Work reference"),
        "data_verification": _("Data verification"),
        "business_collaboration": _("Business collaboration"),
        "other": _("Other"),
    }.get(purpose, purpose)


def create(
    context: Context,
    package: model.Package,
    applicant_org: str,
    purpose: str,
    purpose_detail: str,
    data_item_names: list[str],
    valid_until: datetime.date | None,
    details: dict[str, Any] | None = None,
    renews: Subscription | None = None,
) -> Subscription:
    """A new application, routed by the entry's share type (``states.py``). ``details``:
    ``basis``, ``scenario``, ``scope_of_use``. ``renews``: the grant a renewal renews (a short
    application: no compliance review; the provider answers a conditional one)."""
    share = (package.extras or {}).get("share_type")
    now = datetime.datetime.utcnow()
    row = Subscription(
        dataset_id=package.id,
        applicant_org=applicant_org,
        applicant_user=user_id(context),
        purpose=purpose,
        purpose_detail=purpose_detail,
        data_item_names=data_item_names,
        valid_until=valid_until,
        created=now,
        modified=now,
        renews_id=renews.id if renews is not None else None,
        **(details or {}),
    )
    values: dict[str, Any] = {}
    if share == "none":
        row.status = REJECTED
        row.decided_at = now
        row.reason = (package.extras or {}).get("share_condition") or tk._(
            "The entry is not shared"
        )
    elif config.compliance_review() and renews is None:
        row.status = states.CHECKING
        values = _due(config.check_days())
    elif share == "conditional":
        row.status = PENDING
        values = answer_due(package)
    else:
        row.status = APPROVED
        row.decided_at = now
    for key, value in values.items():
        setattr(row, key, value)
    row.id = row.id or str(uuid.uuid4())
    table = Subscription.__table__
    # what is not set takes the column's default
    values = {c.name: getattr(row, c.name) for c in table.columns}
    values = {k: v for k, v in values.items() if v is not None}
    if renews is not None:
        # one live renewal per grant (a unique partial index, migration 0020)
        conflict = {"index_elements": [table.c.renews_id], "index_where": _live_sql()}
        taken = tk._("This grant is being renewed already")
    else:
        # One live application per unit and entry (a unique partial index): of two
        # concurrent ones, the second inserts nothing and is told, as one that came later.
        conflict = {
            "index_elements": [table.c.dataset_id, table.c.applicant_org],
            "index_where": sa.and_(_live_sql(), table.c.renews_id.is_(None)),
        }
        taken = tk._("Your unit has applied for this entry already")
    inserted = model.Session.execute(
        postgresql.insert(table)
        .values(**values)
        .on_conflict_do_nothing(**conflict)
        .returning(table.c.id)
    ).first()
    if inserted is None:
        raise tk.ValidationError({"dataset_id": [taken]})
    stored = model.Session.get(Subscription, row.id)
    assert stored is not None
    record(context, stored, "renew" if renews is not None else "create", None, "")
    transaction.commit(context)
    return stored


def _live_sql() -> Any:
    # the predicate of the index (migration 0020), as written there
    live = ", ".join(f"'{s}'" for s in states.STATES if s in states.LIVE)
    return sa.text(f"status IN ({live})")


def record(
    context: Context,
    row: Subscription,
    action: str,
    before: str | None,
    note: str = "",
    late: bool = False,
    org_id: str | None = None,
) -> None:
    """Write one step (or message) to the application's history."""
    model.Session.add(
        SubscriptionEvent(
            subscription_id=row.id,
            action=action,
            user_id=user_id(context) or None,
            org_id=org_id,
            from_status=before,
            to_status=row.status,
            note=note,
            late=late,
            created=datetime.datetime.utcnow(),
        )
    )


def refuse(row: Subscription) -> None:
    raise tk.ValidationError(
        {
            "status": [
                tk._("The application is {state} already and cannot be changed").format(
                    state=label(row.status)
                )
            ]
        }
    )


def transition(
    context: Context,
    row: Subscription,
    action: str,
    note: str = "",
    where: Any = None,
    org_id: str | None = None,
    **values: Any,
) -> Subscription:
    """Carry out ``action`` (writing ``values`` too) if the application is still in a state
    it starts from (and ``where``, an extra condition, holds); record the step."""
    table = Subscription.__table__
    before = row.status
    late = overdue(row, workdays.today())
    condition = [table.c.id == row.id, table.c.status.in_(states.MACHINE.starts(action))]
    if where is not None:
        condition.append(where)
    values.setdefault("modified", datetime.datetime.utcnow())
    values.setdefault("due_date", None)
    values.setdefault("provisional_due", False)
    changed = model.Session.execute(
        sa.update(table)
        .where(*condition)
        .values(
            status=states.MACHINE.target(action),
            late=sa.or_(table.c.late, sa.literal(late)),
            **values,
        )
    ).rowcount
    model.Session.refresh(row)
    if not changed:
        refuse(row)
    record(context, row, action, before, note, late, org_id)
    transaction.commit(context)
    return row


def decide(
    context: Context,
    row: Subscription,
    action: str,
    reason: str = "",
    valid_until: datetime.date | None = None,
) -> Subscription:
    """approve, reject or cancel ``row``, atomically against concurrent decisions. With the
    compliance review (the 2025 rules) an approval needs data on the entry (a provider given
    the longer time to publish it first)."""
    now = datetime.datetime.utcnow()
    values: dict[str, Any] = {}
    if valid_until is not None:
        values["valid_until"] = valid_until
    if action in ("approve", "reject"):
        values.update(decided_by=user_id(context), decided_at=now, reason=reason)
        if row.status == PENDING:
            values.update(answered_at=now, answered_late=overdue(row, workdays.today()))
    elif reason:
        values["reason"] = reason
    # the 2025 rules (with the compliance review): the provider publishes the data first; the
    # 2016 flow approved applications to entries without data
    if (
        action == "approve"
        and config.compliance_review()
        and states.MACHINE.allows(action, row.status)
    ):
        package = model.Package.get(row.dataset_id)
        if package is not None and not has_data(package):
            raise tk.ValidationError(
                {
                    "dataset_id": [
                        tk._(
                            "The entry has no data yet: attach its data (upload, link or "
                            "load a table) before approving"
                        )
                    ]
                }
            )
    return transition(context, row, action, reason, **values)


def check(context: Context, row: Subscription, passed: bool, opinion: str) -> Subscription:
    """The office's compliance review: passed, an unconditional application is granted and a
    conditional one goes to the provider (5 or 10 working days); failed, it is refused with
    the opinion."""
    now = datetime.datetime.utcnow()
    package = model.Package.get(row.dataset_id)
    share = (package.extras or {}).get("share_type") if package else None
    if not passed:
        return transition(
            context,
            row,
            "fail",
            opinion,
            decided_by=user_id(context),
            decided_at=now,
            reason=opinion,
        )
    if share == "conditional" and package is not None:
        return transition(context, row, "pass", opinion, **answer_due(package))
    return transition(context, row, "grant", opinion, decided_by=user_id(context), decided_at=now)


def negotiate(context: Context, row: Subscription, message: str, org_id: str) -> Subscription:
    """One message of the negotiation thread; the first, on a refusal, contests it."""
    if row.status == REJECTED:
        return transition(
            context, row, "contest", message, org_id=org_id, **_due(config.negotiate_days())
        )
    if row.status != states.NEGOTIATING:
        raise tk.ValidationError(
            {"status": [tk._("Only a refused application can be negotiated")]}
        )
    record(context, row, "negotiate", row.status, message, org_id=org_id)
    transaction.commit(context)
    return row


def request_coordination(context: Context, row: Subscription) -> Subscription:
    """Ask the office to coordinate ``row`` (once: of two concurrent requests one is told the
    office was asked already). A refused or negotiated one is then the office's to decide
    (``coordinate_days``); an overdue pending one stays the provider's, the office told."""
    table = Subscription.__table__
    now = datetime.datetime.utcnow()
    values: dict[str, Any] = {"coordination_requested": True, "modified": now}
    if row.status in states.MACHINE.starts("coordinate"):
        values.update(status=states.COORDINATING, **_due(config.coordinate_days()))
    before = row.status
    changed = model.Session.execute(
        sa.update(table)
        .where(
            table.c.id == row.id,
            table.c.coordination_requested.is_(False),
            table.c.status == before,
        )
        .values(**values)
    ).rowcount
    model.Session.refresh(row)
    if not changed:
        raise tk.ValidationError({"status": [tk._("The office was asked already")]})
    record(context, row, "coordinate", before)
    transaction.commit(context)
    return row


def office_decide(context: Context, row: Subscription, granted: bool, reason: str) -> Subscription:
    """The office's binding decision on a coordinated application: granted, or refused for
    good."""
    table = Subscription.__table__
    action = "decide_grant" if granted else "decide_refuse"
    return transition(
        context,
        row,
        action,
        reason,
        where=table.c.coordination_requested.is_(True),
        decided_by=user_id(context),
        decided_at=datetime.datetime.utcnow(),
        reason=reason,
    )


def revoke(context: Context, row: Subscription, reason: str) -> Subscription:
    """End a grant at once (the provider or the office), with the reason."""
    return transition(context, row, "revoke", reason, reason=reason)


def expire(today: datetime.date) -> list[Subscription]:
    """Grants whose ``valid_until`` has passed become expired."""
    return _by_job("expire", Subscription.valid_until < today)


def warn(today: datetime.date) -> list[Subscription]:
    """Grants ending within ``expiring_days`` working days become expiring."""
    horizon = workdays.add_workdays(today, config.expiring_days()).due
    return _by_job("warn", Subscription.valid_until <= horizon, Subscription.valid_until >= today)


def _by_job(action: str, *condition: Any) -> list[Subscription]:
    rows = (
        model.Session.query(Subscription)
        .filter(Subscription.status.in_(states.MACHINE.starts(action)), *condition)
        .with_for_update(skip_locked=True)
        .all()
    )
    now = datetime.datetime.utcnow()
    for row in rows:
        before = row.status
        row.status = states.MACHINE.target(action)
        row.modified = now
        record({"user": ""}, row, action, before)  # the daily job: nobody
    model.Session.commit()
    return rows


def history(row: Subscription) -> list[dict[str, Any]]:
    """The steps and messages of ``row``, oldest first."""
    events = (
        model.Session.query(SubscriptionEvent)
        .filter(SubscriptionEvent.subscription_id == row.id)
        .order_by(SubscriptionEvent.created, SubscriptionEvent.id)
        .all()
    )
    result = []
    for e in events:
        user = model.User.get(e.user_id) if e.user_id else None
        unit = model.Group.get(e.org_id) if e.org_id else None
        result.append(
            {
                "action": e.action,
                "user": user.name if user else None,
                "user_display": (user.fullname or user.name) if user else None,
                "org_id": e.org_id,
                "org_title": unit.title if unit else None,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "to_lifecycle": states.lifecycle(e.to_status),
                "to_label": label(e.to_status),
                "note": e.note,
                "late": e.late,
                "created": e.created.isoformat(),
            }
        )
    return result


@dataclasses.dataclass
class Known:
    """The entries, units and people a list of applications names, each read once."""

    packages: dict[str, model.Package] = dataclasses.field(default_factory=dict)
    groups: dict[str, model.Group] = dataclasses.field(default_factory=dict)
    users: dict[str, model.User] = dataclasses.field(default_factory=dict)

    def package(self, package_id: str) -> model.Package | None:
        return self.packages.get(package_id) or model.Package.get(package_id)

    def group(self, group_id: str | None) -> model.Group | None:
        if not group_id:
            return None
        return self.groups.get(group_id) or model.Group.get(group_id)

    def user(self, user_id: str | None) -> model.User | None:
        if not user_id:
            return None
        return self.users.get(user_id) or model.User.get(user_id)


def _known(rows: list[Subscription]) -> Known:
    """What ``rows`` name, in three queries (a page of 50 applications read its entries,
    units and people one by one: 290 queries)."""
    session = model.Session
    packages = {
        p.id: p
        for p in session.query(model.Package).filter(
            model.Package.id.in_({r.dataset_id for r in rows})
        )
    }
    group_ids = {r.applicant_org for r in rows} | {p.owner_org for p in packages.values()}
    groups = {
        g.id: g for g in session.query(model.Group).filter(model.Group.id.in_(group_ids - {None}))
    }
    user_ids = {r.applicant_user for r in rows} | {r.decided_by for r in rows if r.decided_by}
    users = {u.id: u for u in session.query(model.User).filter(model.User.id.in_(user_ids))}
    return Known(packages, groups, users)


def as_dicts(rows: list[Subscription], today: datetime.date | None = None) -> list[dict[str, Any]]:
    """:func:`as_dict` of each of ``rows``, what they name read once for all."""
    known = _known(rows) if rows else Known()
    return [as_dict(row, today, known=known) for row in rows]


def as_dict(
    row: Subscription,
    today: datetime.date | None = None,
    with_history: bool = False,
    known: Known | None = None,
) -> dict[str, Any]:
    today = today or workdays.today()
    known = known or Known()
    package = known.package(row.dataset_id)
    applicant = known.group(row.applicant_org)
    provider = known.group(package.owner_org) if package else None
    user = known.user(row.applicant_user)
    decider = known.user(row.decided_by)
    result = {
        "id": row.id,
        "dataset_id": row.dataset_id,
        "dataset_name": package.name if package else None,
        "dataset_title": package.title if package else None,
        "share_type": (package.extras or {}).get("share_type") if package else None,
        "provider_org": provider.id if provider else None,
        "provider_org_title": provider.title if provider else None,
        "applicant_org": row.applicant_org,
        "applicant_org_title": applicant.title if applicant else None,
        "applicant_user": user.name if user else row.applicant_user,
        "purpose": row.purpose,
        "purpose_detail": row.purpose_detail,
        "data_item_names": row.data_item_names,
        "status": row.status,
        "due_date": row.due_date.isoformat() if row.due_date else None,
        "provisional_due": row.provisional_due,
        "overdue": overdue(row, today),
        "decided_by": decider.name if decider else row.decided_by,
        "decided_at": row.decided_at.isoformat() if row.decided_at else None,
        "reason": row.reason,
        "valid_until": row.valid_until.isoformat() if row.valid_until else None,
        "coordination_requested": row.coordination_requested,
        "basis_name": row.basis_name,
        "created": row.created.isoformat(),
        "modified": row.modified.isoformat(),
        # 2025 (catalog-model §11)
        "lifecycle": states.lifecycle(row.status),
        "status_label": label(row.status),
        "basis": row.basis,
        "scenario": row.scenario,
        "scope_of_use": row.scope_of_use,
        "renews_id": row.renews_id,
        "has_data": row.has_data,
        "answered_at": row.answered_at.isoformat() if row.answered_at else None,
        "answered_late": row.answered_late,
        "late": row.late,
    }
    if with_history:
        result["history"] = history(row)
    return result
