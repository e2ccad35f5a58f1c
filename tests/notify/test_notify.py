"""Notifications (catalog-model §9): the inbox rows, the actions per role, the inbox page, the
unread count in the header, and real e-mail through CKAN's mailer, a CKAN worker on Redis and
the project's SMTP sink (config/bin/mailsink.py)."""

from __future__ import annotations

import datetime
import os
import pathlib
import socket
import subprocess
from collections.abc import Iterator

import ckan.lib.jobs as jobs
import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action, call_auth

from ckanext.yiyang.notify import mail as notify_mail
from ckanext.yiyang.notify import notify
from ckanext.yiyang.notify.model import Notification

ROOT = pathlib.Path(__file__).resolve().parents[2]
QUEUE = "yiyang-notify-test"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


CLOSED_PORT = _free_port()  # nothing listens there

pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_db"),
    pytest.mark.ckan_config("ckanext.yiyang.notify.queue", QUEUE),
]


def _user_context(user: dict) -> dict:
    return {"user": user["name"], "ignore_auth": False}


def _unread(user: dict) -> int:
    return call_action("yiyang_notification_list", _user_context(user))["unread"]


@pytest.fixture
def queue() -> Iterator[str]:
    jobs.get_queue(QUEUE).empty()
    yield QUEUE
    jobs.get_queue(QUEUE).empty()


class TestNotify:
    def test_one_row_per_distinct_user(self):
        alice, bob = factories.User(), factories.User()
        gone = factories.User()
        call_action("user_delete", id=gone["id"])

        rows = notify(
            [alice["id"], alice["name"], bob["name"], alice["id"], gone["id"], "nobody"],
            kind="review_submitted",
            title="益阳市企业注册登记信息 待审核",
            body="市场监管局提交了信息资源，请审核。",
            link="/dataset/101-000001",
            object_type="dataset",
            object_id="abc",
            mail=False,
        )

        assert sorted(r.user_id for r in rows) == sorted([alice["id"], bob["id"]])
        stored = model.Session.query(Notification).filter_by(user_id=alice["id"]).all()
        assert len(stored) == 1
        row = stored[0]
        assert (row.kind, row.title, row.link, row.object_type, row.object_id) == (
            "review_submitted",
            "益阳市企业注册登记信息 待审核",
            "/dataset/101-000001",
            "dataset",
            "abc",
        )
        assert row.read_at is None and row.created is not None

    def test_nobody_left_means_no_rows(self, queue):
        assert notify([], kind="x", title="t") == []
        assert notify(["nobody"], kind="x", title="t") == []
        assert jobs.get_queue(queue).count == 0

    @pytest.mark.parametrize(
        "link", ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "dataset/x"]
    )
    def test_links_stay_on_the_portal(self, link):
        user = factories.User()
        with pytest.raises(ValueError):
            notify([user["id"]], kind="x", title="t", link=link)

    def test_kind_and_title_are_required(self):
        user = factories.User()
        with pytest.raises(ValueError):
            notify([user["id"]], kind="", title="t")
        with pytest.raises(ValueError):
            notify([user["id"]], kind="x", title="")

    def test_one_job_per_batch_enqueued_on_commit(self, queue):
        users = [factories.User()["id"] for _ in range(3)]
        notify(users, kind="demand_new", title="新的资源需求")
        assert jobs.get_queue(queue).count == 1

    def test_rolled_back_notifications_are_neither_stored_nor_mailed(self, queue):
        user = factories.User()
        notify([user["id"]], kind="x", title="t", commit=False)
        assert jobs.get_queue(queue).count == 0  # not before the caller commits
        model.Session.rollback()
        model.Session.commit()  # a later commit of the same session sends nothing either
        assert jobs.get_queue(queue).count == 0
        assert model.Session.query(Notification).count() == 0

    def test_caller_commit_sends(self, queue):
        user = factories.User()
        notify([user["id"]], kind="x", title="t", commit=False)
        model.Session.commit()
        assert jobs.get_queue(queue).count == 1
        assert model.Session.query(Notification).count() == 1

    @pytest.mark.ckan_config("ckanext.yiyang.notify.mail", "false")
    def test_mail_can_be_switched_off(self, queue):
        user = factories.User()
        notify([user["id"]], kind="x", title="t")
        notify([user["id"]], kind="x", title="t", mail=True)
        assert jobs.get_queue(queue).count == 0
        assert _unread(user) == 2

    def test_mail_false_for_one_batch(self, queue):
        user = factories.User()
        notify([user["id"]], kind="x", title="t", mail=False)
        assert jobs.get_queue(queue).count == 0


class TestList:
    def test_anonymous_is_refused(self):
        with pytest.raises(tk.NotAuthorized):
            call_auth("yiyang_notification_list", {"user": ""})
        with pytest.raises(tk.NotAuthorized):
            call_action("yiyang_notification_list", {"user": "", "ignore_auth": False})

    def test_a_user_sees_only_their_own_newest_first(self):
        alice, bob = factories.User(), factories.User()
        for i in range(3):
            notify([alice["id"]], kind="k", title=f"给甲的第{i}条", mail=False)
        notify([bob["id"]], kind="k", title="给乙的", mail=False)

        result = call_action("yiyang_notification_list", _user_context(alice))

        assert result["count"] == 3 and result["unread"] == 3
        assert [r["title"] for r in result["results"]] == [
            "给甲的第2条",
            "给甲的第1条",
            "给甲的第0条",
        ]
        assert {r["user_id"] for r in result["results"]} == {alice["id"]}
        first = result["results"][0]
        assert first["unread"] is True and first["read_at"] is None
        assert set(first) >= {"id", "kind", "title", "body", "link", "object_type", "object_id"}

    def test_paging_and_unread_only(self):
        user = factories.User()
        rows = [notify([user["id"]], kind="k", title=f"n{i}", mail=False)[0] for i in range(5)]
        call_action("yiyang_notification_mark_read", _user_context(user), id=rows[4].id)

        page = call_action("yiyang_notification_list", _user_context(user), limit=2, offset=1)
        assert page["count"] == 5 and page["unread"] == 4
        assert [r["title"] for r in page["results"]] == ["n3", "n2"]

        unread = call_action("yiyang_notification_list", _user_context(user), unread_only=True)
        assert unread["count"] == 4
        assert [r["title"] for r in unread["results"]] == ["n3", "n2", "n1", "n0"]

        counts_only = call_action("yiyang_notification_list", _user_context(user), limit=0)
        assert counts_only == {"count": 5, "unread": 4, "results": []}

    def test_limit_defaults_to_20_and_stops_at_100(self):
        user = factories.User()
        notify([user["id"]], kind="k", title="t", mail=False)
        model.Session.add_all(
            Notification(user_id=user["id"], kind="k", title=f"t{i}") for i in range(120)
        )
        model.Session.commit()
        ctx = _user_context(user)
        assert len(call_action("yiyang_notification_list", ctx)["results"]) == 20
        assert len(call_action("yiyang_notification_list", ctx, limit=500)["results"]) == 100

    def test_bad_parameters(self):
        user = factories.User()
        with pytest.raises(tk.ValidationError):
            call_action("yiyang_notification_list", _user_context(user), limit=-1)
        with pytest.raises(tk.ValidationError):
            call_action("yiyang_notification_list", _user_context(user), offset="x")

    def test_another_users_inbox_only_for_sysadmins(self):
        alice, bob = factories.User(), factories.User()
        notify([bob["id"]], kind="k", title="给乙的", mail=False)

        with pytest.raises(tk.NotAuthorized):
            call_action("yiyang_notification_list", _user_context(alice), user=bob["name"])
        own = call_action("yiyang_notification_list", _user_context(bob), user=bob["name"])
        assert own["count"] == 1

        sysadmin = factories.Sysadmin()
        seen = call_action("yiyang_notification_list", _user_context(sysadmin), user=bob["id"])
        assert [r["title"] for r in seen["results"]] == ["给乙的"]
        mine = call_action("yiyang_notification_list", _user_context(sysadmin))
        assert mine["count"] == 0
        with pytest.raises(tk.ObjectNotFound):
            call_action("yiyang_notification_list", _user_context(sysadmin), user="nobody")


class TestMarkRead:
    def test_anonymous_is_refused(self):
        with pytest.raises(tk.NotAuthorized):
            call_action(
                "yiyang_notification_mark_read", {"user": "", "ignore_auth": False}, all=True
            )

    def test_one_a_list_or_all(self):
        user = factories.User()
        rows = [notify([user["id"]], kind="k", title=f"n{i}", mail=False)[0] for i in range(4)]
        ctx = _user_context(user)

        assert call_action("yiyang_notification_mark_read", ctx, id=rows[0].id) == {
            "marked": 1,
            "unread": 3,
        }
        # already read: not counted again, and its read_at stays the first one
        model.Session.expire_all()
        first_read = model.Session.get(Notification, rows[0].id).read_at
        assert first_read is not None
        assert call_action("yiyang_notification_mark_read", ctx, id=rows[0].id)["marked"] == 0
        model.Session.expire_all()
        assert model.Session.get(Notification, rows[0].id).read_at == first_read

        result = call_action("yiyang_notification_mark_read", ctx, id=[rows[1].id, rows[2].id])
        assert result == {"marked": 2, "unread": 1}
        assert call_action("yiyang_notification_mark_read", ctx, all=True) == {
            "marked": 1,
            "unread": 0,
        }

    def test_someone_elses_ids_are_ignored(self):
        alice, bob = factories.User(), factories.User()
        bobs = notify([bob["id"]], kind="k", title="给乙的", mail=False)[0]

        result = call_action("yiyang_notification_mark_read", _user_context(alice), id=bobs.id)
        assert result == {"marked": 0, "unread": 0}
        sysadmin = factories.Sysadmin()
        result = call_action("yiyang_notification_mark_read", _user_context(sysadmin), id=bobs.id)
        assert result["marked"] == 0
        assert _unread(bob) == 1

    def test_all_marks_only_the_callers(self):
        alice, bob = factories.User(), factories.User()
        notify([alice["id"], bob["id"]], kind="k", title="大家的", mail=False)
        call_action("yiyang_notification_mark_read", _user_context(alice), all=True)
        assert _unread(alice) == 0
        assert _unread(bob) == 1

    def test_id_or_all_is_required(self):
        user = factories.User()
        with pytest.raises(tk.ValidationError):
            call_action("yiyang_notification_mark_read", _user_context(user))
        with pytest.raises(tk.ValidationError):
            call_action("yiyang_notification_mark_read", _user_context(user), id=[1, 2])


class TestPages:
    def test_unread_count_in_the_header(self, app):
        user = factories.UserWithToken()
        auth = {"Authorization": user["token"]}
        page = app.get("/", headers=auth).get_data(as_text=True)
        assert 'data-yiyang-unread="0"' in page
        assert "/dashboard/notifications" in page

        notify([user["id"]], kind="k", title="一", mail=False)
        notify([user["id"]], kind="k", title="二", mail=False)
        page = app.get("/", headers=auth).get_data(as_text=True)
        assert 'data-yiyang-unread="2"' in page
        assert '<span class="badge">2</span>' in page

    def test_no_count_for_anonymous_visitors(self, app):
        page = app.get("/").get_data(as_text=True)
        assert "data-yiyang-unread" not in page

    def test_inbox_lists_and_highlights_the_unread(self, app):
        user = factories.UserWithToken()
        other = factories.User()
        old, new = (
            notify([user["id"]], kind="k", title="已读的通知", mail=False)[0],
            notify(
                [user["id"]],
                kind="k",
                title="新的通知",
                body="请尽快处理。",
                link="/dataset/x",
                mail=False,
            )[0],
        )
        notify([other["id"]], kind="k", title="别人的通知", mail=False)
        call_action("yiyang_notification_mark_read", _user_context(user), id=old.id)

        page = app.get("/dashboard/notifications", headers={"Authorization": user["token"]})
        html = page.get_data(as_text=True)

        assert page.status_code == 200
        assert "新的通知" in html and "请尽快处理。" in html and "已读的通知" in html
        assert "别人的通知" not in html
        assert f'yiyang-notification-unread" data-id="{new.id}"' in html
        assert f'class="yiyang-notification" data-id="{old.id}"' in html
        assert 'id="yiyang-mark-all-read"' in html
        assert html.index("新的通知") < html.index("已读的通知")

        unread_only = app.get(
            "/dashboard/notifications?unread=true", headers={"Authorization": user["token"]}
        ).get_data(as_text=True)
        assert "新的通知" in unread_only and "已读的通知" not in unread_only

    def test_opening_an_item_marks_it_read_and_follows_its_link(self, app):
        user = factories.UserWithToken()
        row = notify([user["id"]], kind="k", title="去看看", link="/dataset/abc", mail=False)[0]

        response = app.post(
            f"/dashboard/notifications/{row.id}/open",
            data={"next": "/dataset/abc"},
            headers={"Authorization": user["token"]},
            follow_redirects=False,
        )

        assert response.status_code == 302
        assert response.headers["Location"].endswith("/dataset/abc")
        assert _unread(user) == 0

    def test_opening_never_redirects_off_the_portal(self, app):
        user = factories.UserWithToken()
        row = notify([user["id"]], kind="k", title="t", mail=False)[0]
        response = app.post(
            f"/dashboard/notifications/{row.id}/open",
            data={"next": "//evil.example/"},
            headers={"Authorization": user["token"]},
            follow_redirects=False,
        )
        assert response.headers["Location"].endswith("/dashboard/notifications")

    def test_mark_all_read(self, app):
        user = factories.UserWithToken()
        notify([user["id"]], kind="k", title="一", mail=False)
        notify([user["id"]], kind="k", title="二", mail=False)
        response = app.post(
            "/dashboard/notifications/read", headers={"Authorization": user["token"]}
        )
        assert response.status_code == 200
        assert _unread(user) == 0
        assert 'data-yiyang-unread="0"' in response.get_data(as_text=True)

    def test_anonymous_visitors_are_sent_to_log_in(self, app):
        response = app.get("/dashboard/notifications", follow_redirects=False)
        assert response.status_code == 302
        assert "/user/login" in response.headers["Location"]
        response = app.post("/dashboard/notifications/read", follow_redirects=False)
        assert response.status_code == 302

    def test_dashboard_has_a_notifications_tab(self, app):
        user = factories.UserWithToken()
        html = app.get("/dashboard/datasets", headers={"Authorization": user["token"]}).get_data(
            as_text=True
        )
        assert 'href="/dashboard/notifications"' in html


@pytest.mark.ckan_config("smtp.starttls", "false")
@pytest.mark.ckan_config("smtp.mail_from", "noreply@yiyang.test")
class TestMail:
    def test_mails_arrive_through_a_real_worker(self, queue, mail_sink):
        alice = factories.User(fullname="张三", email="zhangsan@yiyang.test")
        bob = factories.User(fullname="李四", email="lisi@yiyang.test")
        mute = factories.User(fullname="王五")
        model.User.get(mute["id"]).email = None  # the action API insists on an address
        model.Session.commit()

        rows = notify(
            [alice["id"], bob["id"], mute["id"], alice["name"]],
            kind="subscription_pending",
            title="共享申请待审批：益阳市企业注册登记信息",
            body="市财政局申请共享该信息资源，请在10个工作日内审批。",
            link="/dataset/101-000001",
        )
        assert len(rows) == 3
        assert jobs.get_queue(queue).count == 1  # one job for the batch
        (job_id,) = jobs.get_queue(queue).job_ids

        jobs.Worker([queue]).work(burst=True)

        mails = mail_sink.messages()
        assert sorted(str(m["To"]) for m in mails) == [
            "张三 <zhangsan@yiyang.test>",
            "李四 <lisi@yiyang.test>",
        ]
        site_title = tk.config["ckan.site_title"]
        site_url = tk.config["ckan.site_url"]
        for mail in mails:
            assert str(mail["Subject"]) == f"[{site_title}] 共享申请待审批：益阳市企业注册登记信息"
            assert "noreply@yiyang.test" in str(mail["From"])
            text = mail.get_body(preferencelist=("plain",)).get_content()
            assert "市财政局申请共享该信息资源，请在10个工作日内审批。" in text
            assert f"{site_url}/dataset/101-000001" in text
            assert f"{site_url}/dashboard/notifications" in text

        index = (mail_sink.folder / "index.txt").read_text(encoding="utf-8").splitlines()
        assert len(index) == 2
        assert all(
            f"[{site_title}] 共享申请待审批：益阳市企业注册登记信息" in line for line in index
        )
        assert any("zhangsan@yiyang.test" in line for line in index)

        # the job's result says who got it and who has no address
        job = jobs.job_from_id(job_id)
        assert job.is_finished
        result = job.return_value()
        by_user = {r.user_id: r.id for r in rows}
        assert sorted(result["sent"]) == sorted([by_user[alice["id"]], by_user[bob["id"]]])
        assert result["no_email"] == [by_user[mute["id"]]]
        # mailing reads nothing as read
        assert _unread(alice) == 1

    def test_the_ckan_jobs_worker_command_sends_them(self, queue, mail_sink, request):
        """The worker a deployment runs (`ckan jobs worker`), a process of its own that knows
        only the configuration file (and CKAN's environment variables)."""
        user = factories.User(fullname="赵六", email="zhaoliu@yiyang.test")
        notify(
            [user["id"]], kind="demand_new", title="新的资源需求：不动产登记数据", body="请受理。"
        )

        worker = subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "ckan"),
                "-c",
                request.config.getoption("ckan_ini"),
                "jobs",
                "worker",
                "--burst",
                queue,
            ],
            env={**os.environ, "CKAN_SMTP_SERVER": f"127.0.0.1:{mail_sink.port}"},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

        assert worker.returncode == 0, worker.stderr[-3000:]
        (mail,) = mail_sink.messages()
        assert str(mail["To"]) == "赵六 <zhaoliu@yiyang.test>"
        assert str(mail["Subject"]).endswith("] 新的资源需求：不动产登记数据")
        assert "请受理。" in mail.get_body(preferencelist=("plain",)).get_content()

    def test_each_mail_is_sent_once_and_kept_until_sent(self, queue, mail_sink):
        """The job claims its rows (pending → sending → sent): a second job with the same
        rows — a resend, a job run twice — mails nobody again; the resend finds nothing."""
        user = factories.User(email="sunqi@yiyang.test")
        row = notify([user["id"]], kind="k", title="只发一次的邮件")[0]
        model.Session.expire_all()
        assert model.Session.get(Notification, row.id).mail_state == "pending"
        (job_id,) = jobs.get_queue(queue).job_ids
        job = jobs.job_from_id(job_id)
        jobs.get_queue(queue).enqueue_job(job)  # the same job twice
        jobs.Worker([queue]).work(burst=True)
        assert len(mail_sink.messages()) == 1
        model.Session.expire_all()
        stored = model.Session.get(Notification, row.id)
        assert stored.mail_state == "sent" and stored.mailed_at is not None
        assert notify_mail.resend(datetime.timedelta(0)) == 0

    def test_a_mail_whose_job_was_lost_is_sent_by_the_resend(self, queue, mail_sink):
        user = factories.User(email="zhouba@yiyang.test")
        notify([user["id"]], kind="k", title="任务丢失的邮件")
        jobs.get_queue(queue).empty()  # the job is lost (Redis lost it, or never got it)
        assert notify_mail.resend(datetime.timedelta(minutes=5)) == 0  # too young yet
        assert notify_mail.resend(datetime.timedelta(0)) == 1
        jobs.Worker([queue]).work(burst=True)
        (mail,) = mail_sink.messages()
        assert "zhouba@yiyang.test" in str(mail["To"])


@pytest.mark.ckan_config("smtp.server", f"127.0.0.1:{CLOSED_PORT}")
class TestMailFailure:
    def test_a_failed_delivery_keeps_the_inbox_row(self, queue):
        user = factories.User(email="zhaoliu@yiyang.test")
        row = notify([user["id"]], kind="k", title="送不出去的邮件")[0]
        (job_id,) = jobs.get_queue(queue).job_ids

        jobs.Worker([queue]).work(burst=True)

        job = jobs.job_from_id(job_id)
        assert job.is_finished  # the job itself does not fail
        assert job.return_value()["failed"] == [row.id]
        assert _unread(user) == 1
        # kept to send again (`ckan yiyang resend-notification-mails`)
        model.Session.expire_all()
        assert model.Session.get(Notification, row.id).mail_state == "pending"
