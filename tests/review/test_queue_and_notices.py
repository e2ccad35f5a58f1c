"""The review queue (age in working days, overdue across a Chinese holiday) and the notices
that transitions send (inbox and real mail)."""

from __future__ import annotations

import datetime

import ckan.lib.jobs as jobs
import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories
from freezegun import freeze_time

from ckanext.yiyang import config
from ckanext.yiyang.review.model import ReviewEvent

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def people(make_unit):
    editor, reviewer, other = (factories.User(email=f"{n}@yiyang.test") for n in ("e", "r", "o"))
    unit = make_unit(title="市国土资源局", users=[{"name": editor["name"], "capacity": "editor"}])
    make_unit(title="市统计局", users=[{"name": other["name"], "capacity": "editor"}])
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": reviewer["name"], "capacity": "member"}],
    )
    return {"unit": unit, "editor": editor, "reviewer": reviewer, "other": other}


def act(action, user, **data):
    return tk.get_action(f"yiyang_review_{action}")({"user": user["name"]}, data)


def _submitted_on(entry_id: str, moment: datetime.datetime) -> None:
    event = model.Session.query(ReviewEvent).filter_by(package_id=entry_id).one()
    event.created = moment
    model.Session.commit()


class TestQueue:
    def test_overdue_counts_working_days_across_national_day(self, people, entry_factory):
        before_holiday = entry_factory(people["unit"]["id"], title="国庆前一周提交")
        just_before = entry_factory(people["unit"]["id"], title="国庆前一天提交")
        for entry, day in ((before_holiday, 19), (just_before, 26)):
            act("submit", people["editor"], id=entry["id"])
            # 10:00 in Shanghai
            _submitted_on(entry["id"], datetime.datetime(2025, 9, day, 2, 0))
        with freeze_time("2025-10-09 04:00:00"):
            queue = act("list", people["reviewer"])
        rows = {r["title"]: r for r in queue["results"]}
        # 2025-09-26 → 10-09: 9-28 (an adjusted working Sunday), 9-29, 9-30, 10-09; 10-01 to
        # 10-08 is the National Day holiday. Counting weekdays alone would say 9.
        assert rows["国庆前一天提交"]["age_workdays"] == 4
        assert rows["国庆前一天提交"]["overdue"] is False
        assert rows["国庆前一周提交"]["age_workdays"] == 9
        assert rows["国庆前一周提交"]["overdue"] is True
        assert queue["overdue_after"] == config.review_overdue_days() == 5

    def test_filters_and_who_sees_what(self, people, entry_factory, make_unit):
        mine = entry_factory(people["unit"]["id"], title="本单位的")
        theirs = entry_factory(make_unit(title="市财政局")["id"], title="别的单位的")
        for entry in (mine, theirs):
            act(
                "submit",
                people["editor"] if entry is mine else factories.Sysadmin(),
                id=entry["id"],
            )
        assert {r["title"] for r in act("list", people["reviewer"])["results"]} == {
            "本单位的",
            "别的单位的",
        }
        assert {r["title"] for r in act("list", people["editor"])["results"]} == {"本单位的"}
        assert act("list", people["reviewer"], unit=people["unit"]["name"])["count"] == 1
        assert act("list", people["reviewer"], status="draft")["count"] == 0
        with pytest.raises(tk.ValidationError):
            act("list", people["reviewer"], status="nonsense")

    def test_an_entry_without_a_stored_state_is_a_draft(self, people, entry_factory):
        """The states are filtered on the stored one (its index serves the usual views); an
        entry that never stored one (made before review existed) counts as a draft."""
        entry = entry_factory(people["unit"]["id"], title="审核之前的")
        package = model.Package.get(entry["id"])
        package.extras = {k: v for k, v in package.extras.items() if k != "review_status"}
        model.repo.commit()
        drafts = act("list", people["reviewer"], status="draft")["results"]
        assert [(r["title"], r["status"]) for r in drafts] == [("审核之前的", "draft")]
        assert act("list", people["reviewer"], status="submitted")["count"] == 0
        assert act("list", people["reviewer"], status="all")["count"] == 1

    def test_revisions_are_in_the_queue(self, people, entry_factory):
        entry = entry_factory(people["unit"]["id"], published=True)
        tk.get_action("package_patch")(
            {"user": people["editor"]["name"]}, {"id": entry["id"], "title": "修改后的名称"}
        )
        act("submit", people["editor"], id=entry["id"])
        (row,) = act("list", people["reviewer"])["results"]
        assert row["kind"] == "revision" and row["title"] == entry["title"]

    def test_paged_by_the_database_with_a_true_count(self, people, entry_factory):
        titles = [f"第{n}个" for n in range(5)]
        for n, title in enumerate(titles):
            entry = entry_factory(people["unit"]["id"], title=title)
            act("submit", people["editor"], id=entry["id"])
            _submitted_on(entry["id"], datetime.datetime(2025, 9, 1 + n, 2, 0))
        page = act("list", people["reviewer"], limit=2, offset=1)
        assert page["count"] == 5
        assert [r["title"] for r in page["results"]] == titles[1:3]  # oldest first
        # the page is cut before it is completed and counted apart: the last page, one past
        # it, none asked for and a page narrowed by the submitter count the same
        last = act("list", people["reviewer"], limit=2, offset=4)
        assert (last["count"], [r["title"] for r in last["results"]]) == (5, titles[4:])
        past = act("list", people["reviewer"], limit=2, offset=9)
        assert (past["count"], past["results"]) == (5, [])
        none = act("list", people["reviewer"], limit=0)
        assert (none["count"], none["results"]) == (5, [])
        mine = act("list", people["reviewer"], limit=2, submitter=people["editor"]["name"])
        assert mine["count"] == 5
        assert [r["submitter"] for r in mine["results"]] == [people["editor"]["name"]] * 2
        with pytest.raises(tk.ValidationError):
            act("list", people["reviewer"], limit="many")

    def test_age_counts_from_chinas_date(self, people, entry_factory):
        entry = entry_factory(people["unit"]["id"], title="国庆前提交")
        act("submit", people["editor"], id=entry["id"])
        _submitted_on(entry["id"], datetime.datetime(2025, 9, 30, 2, 0))
        # 17:00 UTC on 10-08 is 01:00 on 10-09 in Yiyang, the first working day after the
        # holiday: one working day has begun (the server's date would still say none).
        with freeze_time("2025-10-08 17:00:00"):
            (row,) = act("list", people["reviewer"])["results"]
        assert row["age_workdays"] == 1

    def test_queue_page(self, app, people, entry_factory):
        entry = entry_factory(people["unit"]["id"], title="待审核的资源")
        act("submit", people["editor"], id=entry["id"])
        token = factories.APIToken(user=people["reviewer"]["name"])["token"]
        body = app.get("/review", headers={"Authorization": token}).body
        assert "审核队列" in body and "待审核的资源" in body and "市国土资源局" in body


class TestNotices:
    @pytest.mark.usefixtures("with_request_context")  # as through the web or the API
    def test_each_transition_reaches_who_must_act(self, people, entry_factory, mail_sink):
        jobs.get_queue().empty()
        entry = entry_factory(people["unit"]["id"], title="土地登记信息")

        def inbox(user):
            return tk.get_action("yiyang_notification_list")({"user": user["name"]}, {})

        act("submit", people["editor"], id=entry["id"])
        (notice,) = inbox(people["reviewer"])["results"]
        assert "土地登记信息" in notice["title"] and "等待您审核" in notice["title"]
        assert inbox(people["editor"])["count"] == 0  # not to the one who acted
        assert inbox(people["other"])["count"] == 0

        act("return", people["reviewer"], id=entry["id"], opinion="请补充更新周期的说明")
        (returned,) = inbox(people["editor"])["results"]
        assert "退回修改" in returned["title"] and "请补充更新周期的说明" in returned["body"]

        jobs.Worker(["default"]).work(burst=True)
        mails = {str(m["To"]).split("<")[-1].rstrip(">"): m for m in mail_sink.messages()}
        assert set(mails) == {"r@yiyang.test", "e@yiyang.test"}
        text = mails["e@yiyang.test"].get_body(preferencelist=("plain",)).get_content()
        assert "请补充更新周期的说明" in text
        assert "退回修改" in str(mails["e@yiyang.test"]["Subject"])
