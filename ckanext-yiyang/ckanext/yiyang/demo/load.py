"""Load the demo catalog through the actions, and take it away again.

``load`` is idempotent: what exists (an account, an entry of the same URL name, an application
of the same unit for the same entry, a demand of the same title by the same unit, a notice of
the same title) is left as it is, so a second load changes nothing. ``reset`` removes what the
demo made — its entries (purged), their applications, reviews and working copies, the demands
its accounts filed, their notices and inboxes, the round's phases they set — and loads it
again: the demo as it was, whatever was clicked in it. Accounts stay (their passwords are set
again).
"""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from werkzeug.datastructures import FileStorage

from ckanext.yiyang import config
from ckanext.yiyang.demand.model import Demand as DemandRow
from ckanext.yiyang.demo import catalog
from ckanext.yiyang.notify.model import Notification
from ckanext.yiyang.portal import stats
from ckanext.yiyang.portal.model import Notice
from ckanext.yiyang.review.model import ReviewEvent, Revision
from ckanext.yiyang.subscription.model import Subscription


class DemoError(Exception):
    """The demo cannot be loaded (the units of 附件1 are missing)."""


@dataclasses.dataclass
class Summary:
    created: dict[str, int] = dataclasses.field(default_factory=dict)
    existing: dict[str, int] = dataclasses.field(default_factory=dict)

    def add(self, kind: str, made: bool) -> None:
        target = self.created if made else self.existing
        target[kind] = target.get(kind, 0) + 1

    def line(self) -> str:
        kinds = ("accounts", "entries", "applications", "demands", "notices")
        return ", ".join(
            f"{kind}: {self.created.get(kind, 0)} created, {self.existing.get(kind, 0)} there"
            for kind in kinds
        )


def _site() -> str:
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def _act(action: str, user: str, **data: Any) -> Any:
    return tk.get_action(action)({"user": user}, data)


def user_name(unit: str, role: str) -> str:
    return f"{catalog.PREFIX}{unit}-{role}"


def _units() -> dict[str, model.Group]:
    found = {}
    for short, name, _editor, _admin in catalog.UNITS:
        group = model.Group.get(name)
        if group is None or group.state != "active":
            raise DemoError(f"unit {name} not found: run `ckan yiyang load-units` first")
        found[short] = group
    return found


def _account(site: str, name: str, fullname: str, password: str, summary: Summary) -> None:
    user = model.User.get(name)
    if user is None:
        _act(
            "user_create",
            site,
            name=name,
            fullname=fullname,
            email=f"{name}@demo.yiyang.invalid",
            password=password,
        )
        summary.add("accounts", True)
    else:
        summary.add("accounts", False)


def _member(site: str, unit: str, name: str, capacity: str) -> None:
    # idempotent: organization_member_create sets the capacity of an existing member
    _act("organization_member_create", site, id=unit, username=name, role=capacity)


def _people(site: str, units: dict[str, model.Group], password: str, summary: Summary) -> None:
    for short, _name, editor, admin in catalog.UNITS:
        title = units[short].title
        for role, person in (("editor", editor), ("admin", admin)):
            name = user_name(short, role)
            _account(site, name, f"{person}（{title}）", password, summary)
            _member(site, units[short].id, name, role)
    office = model.Group.get(config.office_org())
    if office is None:
        raise DemoError(
            f"the office {config.office_org()} not found: run `ckan yiyang load-units`"
        )
    short, person = catalog.OFFICE_USER
    name = user_name(short, "reviewer")
    _account(site, name, f"{person}（{office.title}）", password, summary)
    _member(site, office.id, name, "editor")


def _entry(entry: catalog.Entry, units: dict[str, model.Group], summary: Summary) -> None:
    existing = model.Package.get(entry.name)
    if existing is not None and existing.state != "deleted":
        summary.add("entries", False)
        return
    editor = user_name(entry.unit, "editor")
    reviewer = user_name(catalog.OFFICE_USER[0], "reviewer")
    made = _act("package_create", editor, **entry.fields(units[entry.unit].id))
    if entry.rows:
        _act(
            "resource_create",
            editor,
            package_id=made["id"],
            name=f"{entry.title}（样例数据）",
            description="演示用的样例数据，行内容为虚构。",
            format="CSV",
            upload=FileStorage(io.BytesIO(entry.csv()), filename=f"{entry.slug}.csv"),
        )
    state = entry.state
    if state == catalog.DRAFT:
        summary.add("entries", True)
        return
    _act("yiyang_review_submit", editor, id=made["id"])
    if state == catalog.RETURNED:
        _act("yiyang_review_return", reviewer, id=made["id"], opinion=entry.opinion or "请修改")
    elif state in (catalog.PUBLISHED, catalog.WITHDRAWN, catalog.CHANGED):
        _act("yiyang_review_approve", reviewer, id=made["id"], opinion="同意发布")
    if state == catalog.WITHDRAWN:
        _act("yiyang_review_withdraw", reviewer, id=made["id"], reason="该资源已停止更新")
    elif state == catalog.CHANGED:
        _act(
            "package_patch",
            editor,
            id=made["id"],
            notes=entry.notes + "（修订：补充登记日期说明）",
        )
        _act("yiyang_review_submit", editor, id=made["id"])
    summary.add("entries", True)


def _application(
    application: catalog.Application, units: dict[str, model.Group], summary: Summary
) -> None:
    package = model.Package.get(f"{catalog.PREFIX}{application.entry}")
    if package is None:
        return
    applicant_org = units[application.applicant].id
    there = (
        model.Session.query(Subscription.id)
        .filter_by(dataset_id=package.id, applicant_org=applicant_org)
        .first()
    )
    if there:
        summary.add("applications", False)
        return
    made = _act(
        "yiyang_subscription_create",
        user_name(application.applicant, "admin"),
        dataset_id=package.id,
        applicant_org=applicant_org,
        purpose=application.purpose,
        purpose_detail=application.detail,
    )
    provider = next(short for short, g in units.items() if g.id == package.owner_org)
    if made["status"] == "pending" and application.decision == "approve":
        _act("yiyang_subscription_approve", user_name(provider, "admin"), id=made["id"])
    elif made["status"] == "pending" and application.decision == "reject":
        _act(
            "yiyang_subscription_reject",
            user_name(provider, "admin"),
            id=made["id"],
            reason=application.reason,
        )
    summary.add("applications", True)


def _demand(demand: catalog.Demand, units: dict[str, model.Group], summary: Summary) -> None:
    requester_org = units[demand.requester].id
    there = (
        model.Session.query(DemandRow.id)
        .filter_by(title=demand.title, requester_org=requester_org)
        .first()
    )
    if there:
        summary.add("demands", False)
        return
    data: dict[str, Any] = {
        "title": demand.title,
        "requester_org": requester_org,
        "content": demand.content,
        "purpose": demand.purpose,
        "update_frequency": demand.update_frequency,
    }
    if demand.provider:
        data["provider_org"] = units[demand.provider].id
    made = _act("yiyang_demand_create", user_name(demand.requester, "admin"), **data)
    provider = user_name(demand.provider, "editor") if demand.provider else ""
    outcome = demand.outcome
    if outcome == "accept" or outcome.startswith("fulfil:"):
        _act("yiyang_demand_accept", provider, id=made["id"])
    if outcome.startswith("fulfil:"):
        entry = model.Package.get(f"{catalog.PREFIX}{outcome.split(':', 1)[1]}")
        if entry is not None:
            _act("yiyang_demand_fulfil", provider, id=made["id"], dataset_id=entry.id)
    elif outcome == "reject":
        _act("yiyang_demand_reject", provider, id=made["id"], reason=demand.reason)
    if demand.comment:
        _act("yiyang_demand_comment", provider, id=made["id"], body=demand.comment)
    summary.add("demands", True)


def _notices(summary: Summary) -> None:
    reviewer = user_name(catalog.OFFICE_USER[0], "reviewer")
    for title, body in catalog.NOTICES:
        there = model.Session.query(Notice.id).filter_by(title=title, state="active").first()
        if there:
            summary.add("notices", False)
            continue
        _act("yiyang_notice_create", reviewer, title=title, body=body)
        summary.add("notices", True)


def _round() -> None:
    """The demo's round, unless the office has set one (phases stored)."""
    if not p.plugin_loaded("yiyang_progress"):
        return
    from ckanext.yiyang.progress.model import ProgressPhase

    if model.Session.query(ProgressPhase.phase).first() is None:
        reviewer = user_name(catalog.OFFICE_USER[0], "reviewer")
        _act("yiyang_progress_phase_update", reviewer, **catalog.ROUND)


def load(password: str = catalog.PASSWORD) -> Summary:
    """Load the demo catalog (what is there already is left as it is)."""
    summary = Summary()
    site = _site()
    units = _units()
    _people(site, units, password, summary)
    for entry in catalog.ENTRIES:
        _entry(entry, units, summary)
    for application in catalog.APPLICATIONS:
        _application(application, units, summary)
    for demand in catalog.DEMANDS:
        _demand(demand, units, summary)
    _notices(summary)
    _round()
    stats.forget()
    return summary


def _demo_users() -> list[str]:
    return [
        user.id
        for user in model.Session.query(model.User).filter(
            model.User.name.like(f"{catalog.PREFIX}%")
        )
    ]


def remove() -> int:
    """Take away what the demo made (see the module's text); returns the entries purged."""
    site = _site()
    packages = model.Session.query(model.Package).filter(
        model.Package.name.in_([entry.name for entry in catalog.ENTRIES])
    )
    ids = [package.id for package in packages]
    users = _demo_users()
    session = model.Session
    session.execute(sa.delete(Subscription).where(Subscription.dataset_id.in_(ids)))
    session.execute(sa.delete(ReviewEvent).where(ReviewEvent.package_id.in_(ids)))
    session.execute(sa.delete(Revision).where(Revision.package_id.in_(ids)))
    session.execute(sa.delete(DemandRow).where(DemandRow.requester_user.in_(users)))
    session.execute(sa.delete(Notice).where(Notice.author_id.in_(users)))
    # the inbox's notices of what is gone (they would link to nothing)
    session.execute(
        sa.delete(Notification).where(
            sa.or_(Notification.user_id.in_(users), Notification.object_id.in_(ids))
        )
    )
    if p.plugin_loaded("yiyang_progress"):
        from ckanext.yiyang.progress.model import ProgressPhase

        session.execute(sa.delete(ProgressPhase).where(ProgressPhase.modified_by.in_(users)))
    model.repo.commit()
    for package_id in ids:
        _act("dataset_purge", site, id=package_id)
    stats.forget()
    return len(ids)


def reset(password: str = catalog.PASSWORD) -> Summary:
    """The demo as first loaded: what it made removed, then loaded again; the demo accounts'
    passwords set to ``password``."""
    remove()
    site = _site()
    for user in model.Session.query(model.User).filter(model.User.name.like(f"{catalog.PREFIX}%")):
        _act("user_patch", site, id=user.id, password=password)
    return load(password)
