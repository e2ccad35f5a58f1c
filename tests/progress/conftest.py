"""A small city for the progress view: units with entries in every review state, overdue
reviews, demands and applications pending and overdue — all made through the actions — and a
user of every role."""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from freezegun import freeze_time

from ckanext.yiyang import config

# Long enough ago that every working-day deadline counted from it has passed.
LONG_AGO = "2025-09-01 02:00:00"  # a Monday, 10:00 in China
CONTACTS = {
    "leader": {"name": "王局长", "position": "副局长"},
    "business_contact": {"name": "李科长"},
    "it_contact": {"name": "赵工程师"},
}


def act(action: str, user: dict | str | None, **data):
    name = user["name"] if isinstance(user, dict) else user
    return tk.get_action(action)({"user": name}, data)


def progress(user: dict | str | None, **data) -> dict:
    return act("yiyang_progress_list", user, **data)


def row_of(result: dict, unit: dict) -> dict:
    (row,) = [r for r in result["results"] if r["id"] == unit["id"]]
    return row


def backdate_events(entry: dict, moment: str = LONG_AGO) -> None:
    """Move the entry's review events back to ``moment``. Their time is a column default that
    freezegun cannot reach, so a submission of long ago is made now and moved (as the review
    queue's own tests do)."""
    from ckan import model

    from ckanext.yiyang.review.model import ReviewEvent

    model.Session.query(ReviewEvent).filter_by(package_id=entry["id"]).update(
        {"created": datetime.datetime.fromisoformat(moment)}
    )
    model.Session.commit()


@pytest.fixture
def people(make_unit):
    """Users of every role (:func:`build_people`)."""
    return build_people()


def build_people() -> dict:
    """Users of every role: a member, an editor and an admin of 市公安局; the admin of another
    unit; a reviewer (member of the office); a sysadmin; an account of no unit."""
    names = ("member", "editor", "admin", "other_admin", "reviewer", "registered")
    users = {n: factories.User(name=f"progress_{n}") for n in names}
    users["sysadmin"] = factories.Sysadmin(name="progress_sysadmin")
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": users["reviewer"]["name"], "capacity": "member"}],
    )
    return users


@pytest.fixture
def city(people, make_unit, entry_factory):
    """The city of :func:`build_city`."""
    return build_city(people, make_unit, entry_factory)


@pytest.fixture(scope="module")
def module_city(module_clean_db, make_unit, module_entry_factory):
    """The city, built once for a module whose tests only read it."""
    return build_city(build_people(), make_unit, module_entry_factory)


def build_city(people, make_unit, entry_factory) -> dict:
    """Four units and what they did (all through the actions):

    - 市公安局 (group 02, code 006; contacts named): 2 drafts, 3 submitted (1 long ago:
      overdue), 1 returned, 3 published (one with a change submitted long ago: overdue),
      1 withdrawn; demands to it: 1 submitted long ago (overdue), 1 accepted long ago (overdue),
      1 recent, 1 rejected; applications to three of its entries: 1 pending long ago
      (overdue), 1 recent, 1 approved;
    - 市教育局 (group 02, code 003): 1 published, 1 submitted long ago (overdue); filed the
      demands and the applications above, and one demand without a provider (overdue);
    - 市总工会 (group 04, code 001): one draft, made long ago and never touched again;
    - 市纪委 (group 01, code 001): nothing.
    """
    u = people
    sysadmin, reviewer = u["sysadmin"], u["reviewer"]
    police = make_unit(
        title="市公安局",
        unit_group="02",
        unit_code="006",
        users=[{"name": u[r]["name"], "capacity": r} for r in ("member", "editor", "admin")],
        **CONTACTS,
    )
    education = make_unit(
        title="市教育局",
        unit_group="02",
        unit_code="003",
        users=[{"name": u["other_admin"]["name"], "capacity": "admin"}],
    )
    with freeze_time("2025-03-03 10:00:00"):
        union = make_unit(title="市总工会", unit_group="04", unit_code="001")
        entry_factory(union["id"], title="工会会员信息")
    discipline = make_unit(title="市纪委", unit_group="01", unit_code="001")

    def entry(unit, title, *steps, published=False, **extra):
        made = entry_factory(unit["id"], published=published, title=title, **extra)
        for step in steps:
            user = u["editor"] if step == "submit" else reviewer
            data = {"opinion": "请补充信息项说明"} if step == "return" else {}
            if step == "withdraw":
                data = {"reason": "该资源已停止采集"}
            act(
                f"yiyang_review_{step}",
                user if unit is police else sysadmin,
                id=made["id"],
                **data,
            )
        return made

    entry(police, "公安草稿一")
    entry(police, "公安草稿二")
    backdate_events(entry(police, "公安待审一", "submit"))
    entry(police, "公安待审二", "submit")
    entry(police, "公安待审三", "submit")
    entry(police, "公安退回", "submit", "return")
    shared = entry(police, "公安人口信息", published=True)
    changed = entry(police, "公安车辆信息", published=True)
    with freeze_time(LONG_AGO):
        act("package_patch", u["editor"], id=changed["id"], notes="车辆登记信息（修订）")
        act("yiyang_review_submit", u["editor"], id=changed["id"])
    entry(police, "公安撤销", "withdraw", published=True)
    licences = entry(police, "公安许可信息", published=True)

    entry(
        education, "教育学籍信息", published=True, share_type="unconditional", share_condition=""
    )
    backdate_events(entry(education, "教育待审", "submit"))

    demand = {
        "content": "全市户籍人口信息",
        "purpose": "入学资格审核",
        "update_frequency": "monthly",
    }
    requester = u["other_admin"]
    with freeze_time(LONG_AGO):
        act("yiyang_demand_create", requester, title="需求一", provider_org=police["id"], **demand)
        accepted = act(
            "yiyang_demand_create", requester, title="需求二", provider_org=police["id"], **demand
        )
        act("yiyang_demand_accept", u["editor"], id=accepted["id"])
        rejected = act(
            "yiyang_demand_create", requester, title="需求三", provider_org=police["id"], **demand
        )
        act("yiyang_demand_reject", u["editor"], id=rejected["id"], reason="不属于本单位职责")
        act("yiyang_demand_create", requester, title="无提供方的需求", **demand)
    act("yiyang_demand_create", requester, title="需求四", provider_org=police["id"], **demand)

    application = {"purpose": "business_collaboration", "purpose_detail": "核对户籍信息"}
    with freeze_time(LONG_AGO):
        act("yiyang_subscription_create", requester, dataset_id=shared["id"], **application)
    act("yiyang_subscription_create", requester, dataset_id=changed["id"], **application)
    granted = act(
        "yiyang_subscription_create", requester, dataset_id=licences["id"], **application
    )
    act("yiyang_subscription_approve", u["admin"], id=granted["id"])

    return {
        "police": police,
        "education": education,
        "union": union,
        "discipline": discipline,
        **people,
    }


@pytest.fixture(name="act")
def act_fixture():
    """``act(action, user, **data)``: call an action as ``user`` (a dict, a name or None)."""
    return act


@pytest.fixture(name="progress")
def progress_fixture():
    """``progress(user, **data)``: ``yiyang_progress_list`` as ``user``."""
    return progress


@pytest.fixture(name="row_of")
def row_of_fixture():
    """``row_of(result, unit)``: the unit's row of a progress result."""
    return row_of


@pytest.fixture
def town(people, make_unit, entry_factory):
    """The town of :func:`build_town`."""
    return build_town(people, make_unit, entry_factory)


@pytest.fixture(scope="module")
def module_town(module_clean_db, make_unit, module_entry_factory):
    """The town, built once for a module whose tests only read it."""
    return build_town(build_people(), make_unit, module_entry_factory)


def build_town(people, make_unit, entry_factory) -> dict:
    """A lighter world for the tests of roles and pages: 市公安局 (the member, editor and
    admin; one draft) and 市教育局 (the other admin; nothing)."""
    u = people
    police = make_unit(
        title="市公安局",
        unit_group="02",
        unit_code="006",
        users=[{"name": u[r]["name"], "capacity": r} for r in ("member", "editor", "admin")],
    )
    education = make_unit(
        title="市教育局",
        unit_group="02",
        unit_code="003",
        users=[{"name": u["other_admin"]["name"], "capacity": "admin"}],
    )
    entry_factory(police["id"], title="公安草稿")
    return {"police": police, "education": education, **people}


@pytest.fixture(name="backdate_events")
def backdate_events_fixture():
    """``backdate_events(entry, "YYYY-MM-DD HH:MM:SS")``: see :func:`backdate_events`."""
    return backdate_events
