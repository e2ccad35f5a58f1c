"""Due dates in working days of China's official calendar, overdue marking and escalation,
the daily reminders, expiry, and the notices (inbox and real mail) of decisions and of
changes to a subscribed entry."""

from __future__ import annotations

import datetime

import ckan.lib.jobs as jobs
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from freezegun import freeze_time

from ckanext.yiyang.subscription import jobs as subscription_jobs

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def inbox(user) -> list[dict]:
    return tk.get_action("yiyang_notification_list")({"user": user["name"]}, {})["results"]


class TestDueDates:
    def test_ten_working_days_across_national_day(self, apply):
        # Friday 26 September 2025, 10:00 in Shanghai. 9-28 (a Sunday) is an adjusted working
        # day, 10-01..10-08 the holiday, 10-11 (a Saturday) a working day again.
        with freeze_time("2025-09-26 02:00:00"):
            sub = apply()
        assert sub["due_date"] == "2025-10-16"  # weekdays alone would say 2025-10-10
        assert sub["provisional_due"] is False

    def test_ten_working_days_across_spring_festival(self, apply):
        # 2026-02-15..23 off; Saturdays 02-14 and 02-28 are working days.
        with freeze_time("2026-02-12 02:00:00"):
            sub = apply()
        assert sub["due_date"] == "2026-03-04"

    def test_a_moment_late_in_the_utc_day_is_already_the_next_day_in_china(self, apply):
        with freeze_time("2025-09-25 17:00:00"):  # 26 September, 01:00 in Shanghai
            sub = apply()
        assert sub["due_date"] == "2025-10-16"

    @pytest.mark.ckan_config("ckanext.yiyang.subscription.answer_days", 5)
    def test_the_answer_time_is_configurable(self, apply):
        with freeze_time("2025-09-26 02:00:00"):
            sub = apply()
        assert sub["due_date"] == "2025-10-10"

    def test_overdue_from_the_first_working_day_after_the_due_date(self, world, act, apply):
        users = world["users"]
        with freeze_time("2025-09-26 02:00:00"):
            sub = apply()
        with freeze_time("2025-10-16 10:00:00"):
            assert act("show", users["provider_admin"], id=sub["id"])["overdue"] is False
            assert act("list", users["reviewer"], scope="escalated")["count"] == 0
        with freeze_time("2025-10-17 02:00:00"):
            (row,) = act("list", users["provider_admin"], scope="received")["results"]
            assert row["overdue"] is True
            escalated = act("list", users["reviewer"], scope="escalated")["results"]
            assert [r["id"] for r in escalated] == [sub["id"]]
            # the applicant may now ask the office to coordinate
            done = act("coordinate", users["applicant_member"], id=sub["id"])
            assert done["coordination_requested"] is True
            # a late answer is still an answer
            act("approve", users["provider_admin"], id=sub["id"])
            assert act("show", users["reviewer"], id=sub["id"])["overdue"] is False

    def test_a_weekend_after_the_due_date_is_not_yet_overdue(self, world, act, apply):
        from ckan import model

        from ckanext.yiyang.subscription.model import Subscription

        users = world["users"]
        sub = apply()
        row = model.Session.get(Subscription, sub["id"])
        row.due_date = datetime.date(2025, 11, 14)  # a Friday
        model.Session.commit()
        with freeze_time("2025-11-16 10:00:00"):  # Sunday in Shanghai
            assert act("list", users["reviewer"], scope="escalated")["count"] == 0
        with freeze_time("2025-11-17 02:00:00"):  # Monday morning in Shanghai
            escalated = act("list", users["reviewer"], scope="escalated")
            assert escalated["count"] == 1 and escalated["results"][0]["overdue"] is True

    def test_overdue_page_of_the_office(self, app, world, apply):
        with freeze_time("2025-09-26 02:00:00"):
            apply()
        token = factories.APIToken(user=world["users"]["reviewer"]["name"])["token"]
        # today, more than a year later
        body = app.get("/subscriptions?scope=escalated", headers={"Authorization": token}).body
        assert "yiyang-overdue" in body and "企业登记信息conditional" in body


class TestRemindersAndExpiry:
    def test_reminders_once_a_day(self, world, apply):
        users = world["users"]
        with freeze_time("2025-09-26 02:00:00"):
            apply()
        with freeze_time("2025-10-13 02:00:00"):  # due in 3 working days: not yet
            assert subscription_jobs.send_due_reminders() == 0
        with freeze_time("2025-10-14 02:00:00"):
            assert subscription_jobs.send_due_reminders() == 1
            assert subscription_jobs.send_due_reminders() == 0  # the same day again
        due = [n for n in inbox(users["provider_admin"]) if n["kind"] == "subscription_due"]
        assert len(due) == 1 and "2025-10-16" in due[0]["title"]
        assert not [n for n in inbox(users["reviewer"]) if n["kind"].startswith("subscription")]
        with freeze_time("2025-10-17 02:00:00"):
            assert subscription_jobs.send_due_reminders() == 1
        for user in ("provider_admin", "reviewer"):
            kinds = [n["kind"] for n in inbox(users[user])]
            assert kinds.count("subscription_overdue") == 1, user
        assert not [n for n in inbox(users["provider_member"]) if n["kind"].startswith("sub")]

    def test_the_cli_command(self, cli, world, apply):
        from ckanext.yiyang.subscription.cli import send_due_reminders

        with freeze_time("2025-09-26 02:00:00"):
            apply()
        result = cli.invoke(send_due_reminders, ["--today", "2025-10-17"])
        assert result.exit_code == 0, result.output
        assert "1 applications reminded" in result.output
        result = cli.invoke(send_due_reminders, ["--today", "2025-10-17"])
        assert "0 applications reminded" in result.output

    def test_expiry_by_a_background_job(self, world, act, apply):
        users = world["users"]
        sub = apply(valid_until="2099-03-31")
        act("approve", users["provider_admin"], id=sub["id"])
        jobs.get_queue().empty()
        tk.enqueue_job(subscription_jobs.expire_subscriptions, ["2099-04-01"])
        jobs.Worker(["default"]).work(burst=True)
        assert act("show", users["applicant_member"], id=sub["id"])["status"] == "expired"
        assert any(n["kind"] == "subscription_expired" for n in inbox(users["applicant_member"]))
        with pytest.raises(tk.ValidationError):
            act("cancel", users["applicant_member"], id=sub["id"])


class TestNotices:
    @pytest.mark.usefixtures("with_request_context")
    def test_decisions_reach_the_other_side_in_the_inbox_and_by_mail(
        self, world, act, apply, mail_sink
    ):
        users = world["users"]
        jobs.get_queue().empty()
        sub = apply()
        (pending,) = [
            n for n in inbox(users["provider_admin"]) if n["kind"] == "subscription_create"
        ]
        assert "市税务局" in pending["title"] and "企业登记信息conditional" in pending["title"]
        assert not [n for n in inbox(users["provider_member"]) if n["kind"].startswith("sub")]
        act("reject", users["provider_admin"], id=sub["id"], reason="用途与共享条件不符")
        rejected = [
            n for n in inbox(users["applicant_member"]) if n["kind"] == "subscription_reject"
        ]
        assert len(rejected) == 1 and "用途与共享条件不符" in rejected[0]["body"]
        assert any(n["kind"] == "subscription_reject" for n in inbox(users["applicant_admin"]))
        act("coordinate", users["applicant_member"], id=sub["id"])
        assert any(n["kind"] == "subscription_coordinate" for n in inbox(users["reviewer"]))

        jobs.Worker(["default"]).work(burst=True)
        mails = {}
        for message in mail_sink.messages():
            mails.setdefault(str(message["To"]).split("<")[-1].rstrip(">"), []).append(message)
        assert {"provider_admin@yiyang.test", "applicant_member@yiyang.test"} <= set(mails)
        assert "reviewer@yiyang.test" in mails
        text = (
            mails["applicant_member@yiyang.test"][0]
            .get_body(preferencelist=("plain",))
            .get_content()
        )
        assert "用途与共享条件不符" in text

    @pytest.mark.usefixtures("with_request_context")
    def test_one_notice_per_change_to_subscribers_and_followers(
        self, world, act, apply, mail_sink
    ):
        users = world["users"]
        entry = world["entries"]["conditional"]
        sub = apply()
        act("approve", users["provider_admin"], id=sub["id"])
        follower = users["other_unit"]
        tk.get_action("follow_dataset")({"user": follower["name"]}, {"id": entry["id"]})
        jobs.get_queue().empty()

        def changes(user) -> list[dict]:
            return [
                n
                for n in inbox(user)
                if n["kind"].startswith("subscription_entry")
                or n["kind"] == "subscription_resources_changed"
            ]

        editor = {"user": users["provider_editor"]["name"]}
        resource = entry["resources"][0]
        tk.get_action("resource_patch")(editor, {"id": resource["id"], "name": "新的数据文件"})
        tk.get_action("resource_create")(
            editor, {"package_id": entry["id"], "name": "第二个文件", "url": "https://x.test/2"}
        )
        tk.get_action("package_patch")(editor, {"id": entry["id"], "notes": "更新后的摘要说明"})
        tk.get_action("yiyang_review_submit")(editor, {"id": entry["id"]})
        tk.get_action("yiyang_review_approve")(
            {"user": users["reviewer"]["name"]}, {"id": entry["id"]}
        )
        tk.get_action("yiyang_review_withdraw")(
            {"user": users["provider_admin"]["name"]}, {"id": entry["id"], "reason": "停止共享"}
        )
        # back in the catalog: submitted again and approved
        tk.get_action("package_patch")(editor, {"id": entry["id"], "notes": "重新发布的摘要说明"})
        tk.get_action("yiyang_review_submit")(editor, {"id": entry["id"]})
        tk.get_action("yiyang_review_approve")(
            {"user": users["reviewer"]["name"]}, {"id": entry["id"]}
        )
        for user in (users["applicant_member"], follower):
            kinds = sorted(n["kind"] for n in changes(user))
            assert kinds == [
                "subscription_entry_changed",
                "subscription_entry_republished",
                "subscription_entry_withdrawn",
                "subscription_resources_changed",
                "subscription_resources_changed",
            ], user["name"]
        republished = next(
            n for n in changes(users["applicant_member"]) if n["kind"].endswith("republished")
        )
        assert "重新发布" in republished["title"] or "再次发布" in republished["title"]
        assert not changes(users["applicant_editor"])  # not the applicant, not a follower
        assert not changes(users["provider_editor"])  # who acted
        jobs.Worker(["default"]).work(burst=True)
        to = [str(m["To"]) for m in mail_sink.messages()]
        assert sum("applicant_member@yiyang.test" in t for t in to) == 5
