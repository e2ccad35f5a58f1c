"""The phases of the notice as configurable dates, the milestones they ask of a unit, and
which units are behind schedule (the highlight rule); overdue counted in working days."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from freezegun import freeze_time

from ckanext.yiyang.progress import config as progress_config

from .conftest import act, build_people

# The units are built once for the module (module_clean_db): the tests only read them, each
# with its own dates. (The overdue counts, which make data of their own, are test_overdue.py.)
pytestmark = pytest.mark.usefixtures("with_plugins")

CONTACTS = {
    "leader": {"name": "王局长"},
    "business_contact": {"name": "李科长"},
    "it_contact": {"name": "赵工程师"},
}
OPTION = "ckanext.yiyang.progress.deadline."


def marks(row: dict) -> dict[str, str]:
    return {m["phase"]: m["status"] for m in row["milestones"]}


@pytest.fixture(name="people", scope="module")
def _people(module_clean_db):
    return build_people()


@pytest.fixture(scope="module")
def units(people, make_unit, module_entry_factory):
    """Units in known states (entries moved through the review actions as a sysadmin)."""
    sysadmin = people["sysadmin"]
    entry_factory = module_entry_factory

    def unit(title, *states, contacts=True):
        made = make_unit(title=title, **(CONTACTS if contacts else {}))
        for index, state in enumerate(states):
            entry = entry_factory(
                made["id"], title=f"{title}{index}", published=state == "published"
            )
            steps = {"submitted": ["submit"], "returned": ["submit", "return"]}.get(state, [])
            for step in steps:
                data = {"opinion": "请修改"} if step == "return" else {}
                act(f"yiyang_review_{step}", sysadmin, id=entry["id"], **data)
        return made

    return {
        "done": unit("市统计局", "published", "published"),
        "waiting": unit("市审计局", "published", "submitted"),
        "returned": unit("市林业局", "published", "returned"),
        "drafts": unit("市商务局", "submitted", "draft"),
        "no_contacts": unit("市水务局", "published", contacts=False),
        "nothing": unit("市旅游局"),
    }


def test_the_notices_dates_are_the_defaults(people, progress):
    assert {p["key"]: p["deadline"] for p in progress(people["reviewer"])["phases"]} == {
        "preparation": "2015-09-30",
        "report": "2015-10-20",
        "review": "2015-11-30",
        "sorting": "2015-12-31",
        "platform": "2016-02-29",
        "launch": "2016-04-30",
    }


def test_all_phases_passed(units, people, progress, row_of):
    result = progress(people["reviewer"])
    assert result["current_phase"] is None
    assert {p["status"] for p in result["phases"]} == {"passed"}
    rows = {key: row_of(result, unit) for key, unit in units.items()}
    assert marks(rows["done"]) == dict.fromkeys(("report", "review", "sorting", "launch"), "met")
    assert rows["done"]["behind"] is False and rows["done"]["behind_reasons"] == []
    assert marks(rows["waiting"]) == {
        "report": "met",
        "review": "met",
        "sorting": "met",
        "launch": "missed",
    }
    assert marks(rows["returned"])["sorting"] == "missed"
    assert marks(rows["returned"])["review"] == "met"
    assert marks(rows["drafts"])["report"] == "met"
    assert marks(rows["drafts"])["review"] == "missed"
    no_contacts = rows["no_contacts"]
    assert marks(no_contacts)["report"] == "missed"
    (report,) = [m for m in no_contacts["milestones"] if m["phase"] == "report"]
    assert report["problems"] == [
        {"code": "contacts", "roles": ["leader", "business_contact", "it_contact"]}
    ]
    assert marks(no_contacts)["launch"] == "met"
    assert set(marks(rows["nothing"]).values()) == {"missed"}
    assert all(
        rows[k]["behind"] for k in ("waiting", "returned", "drafts", "no_contacts", "nothing")
    )
    assert result["totals"]["units_behind"] == 5
    assert result["totals"]["units_on_schedule"] == 1


@pytest.mark.usefixtures("with_request_context")
def test_the_reasons_name_the_phase_its_date_and_what_is_missing(units, people, progress, row_of):
    row = row_of(progress(people["reviewer"]), units["returned"])
    assert row["missed"] == 2
    assert row["behind_reasons"] == [
        "目录梳理完成（截止 2015-12-31）：1 条信息资源被退回、未重新提交",
        "上线与目录出版（截止 2016-04-30）：1 条信息资源被退回、未重新提交",
    ]


@pytest.mark.ckan_config(OPTION + "preparation", "2026-03-01")
@pytest.mark.ckan_config(OPTION + "report", "2026-03-20")
@pytest.mark.ckan_config(OPTION + "review", "2026-04-30")
@pytest.mark.ckan_config(OPTION + "sorting", "2026-05-31")
@pytest.mark.ckan_config(OPTION + "platform", "2026-06-30")
@pytest.mark.ckan_config(OPTION + "launch", "2026-08-31")
class TestARoundOfTheOfficesOwnDates:
    def test_before_the_first_deadline_nobody_is_behind(self, units, people, progress, row_of):
        with freeze_time("2026-03-10 02:00:00"):
            result = progress(people["reviewer"])
        assert result["today"] == "2026-03-10"
        assert result["current_phase"] == "report"
        assert [p["status"] for p in result["phases"]] == [
            "passed",
            "current",
            "upcoming",
            "upcoming",
            "upcoming",
            "upcoming",
        ]
        assert result["totals"]["units_behind"] == 0
        nothing = row_of(result, units["nothing"])
        assert set(marks(nothing).values()) == {"upcoming"}
        assert nothing["behind"] is False

    def test_the_deadline_day_itself_is_still_in_time(self, units, people, progress, row_of):
        with freeze_time("2026-03-20 15:00:00"):  # 23:00 in China, the report's last day
            result = progress(people["reviewer"])
        assert result["current_phase"] == "report"
        assert row_of(result, units["nothing"])["behind"] is False

    def test_after_a_deadline_only_its_milestone_is_missed(self, units, people, progress, row_of):
        with freeze_time("2026-03-20 16:00:00"):  # 00:00 on 21 March in China
            result = progress(people["reviewer"])
        assert result["current_phase"] == "review"
        nothing = row_of(result, units["nothing"])
        assert marks(nothing) == {
            "report": "missed",
            "review": "upcoming",
            "sorting": "upcoming",
            "launch": "upcoming",
        }
        assert nothing["behind"] is True
        # the units that reported are on schedule, whatever else they still have to do
        behind = {r["title"] for r in result["results"] if r["behind"]}
        assert behind == {"市水务局", "市旅游局"}


@pytest.mark.ckan_config(OPTION + "platform", "")
@pytest.mark.ckan_config(OPTION + "launch", "")
def test_an_empty_deadline_leaves_the_phase_out(units, people, progress, row_of):
    result = progress(people["reviewer"])
    assert [p["key"] for p in result["phases"]] == ["preparation", "report", "review", "sorting"]
    assert "launch" not in marks(row_of(result, units["waiting"]))
    assert row_of(result, units["waiting"])["behind"] is False


def test_a_deadline_that_is_no_date_stops_the_start_naming_the_option(monkeypatch):
    from ckan.plugins import get_plugin

    monkeypatch.setitem(tk.config, OPTION + "review", "30.11.2015")
    with pytest.raises(progress_config.DeadlineError, match=r"deadline\.review.*YYYY-MM-DD"):
        progress_config.deadlines()
    with pytest.raises(progress_config.DeadlineError):
        get_plugin("yiyang_progress").configure(tk.config)


def test_the_page_highlights_the_units_behind_schedule(app, units, people):
    token = factories.APIToken(user=people["reviewer"]["name"])["token"]
    body = app.get("/progress", headers={"Authorization": token}).body
    from bs4 import BeautifulSoup

    page = BeautifulSoup(body, "html.parser")
    rows = {tr.th.get_text(strip=True): tr for tr in page.select("tr[data-unit]")}
    assert "yiyang-behind" in rows["市审计局"]["class"]
    assert "yiyang-on-schedule" in rows["市统计局"]["class"]
    assert "yiyang-behind" not in rows["市统计局"]["class"]
    reasons = [li.get_text() for li in rows["市审计局"].select(".yiyang-behind-reasons li")]
    assert reasons == ["上线与目录出版（截止 2016-04-30）：1 条信息资源待审核"]
    assert rows["市统计局"].select_one(".yiyang-schedule").get_text(strip=True) == "按期"
