"""Issue 12.6: each user chooses immediate mail or a daily digest; the digest sends one mail
per user with everything since the last one, once, through real SMTP (the project's sink)."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterator

import ckan.lib.jobs as jobs
import ckan.model as model
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action
from click.testing import CliRunner

from ckanext.yiyang.notify import digest, notify
from ckanext.yiyang.notify.model import Notification

QUEUE = "yiyang-digest-test"

pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_db"),
    pytest.mark.ckan_config("ckanext.yiyang.notify.queue", QUEUE),
    pytest.mark.ckan_config("smtp.mail_from", "noreply@yiyang.test"),
]


@pytest.fixture
def queue() -> Iterator[str]:
    jobs.get_queue(QUEUE).empty()
    yield QUEUE
    jobs.get_queue(QUEUE).empty()


def ctx(user: dict) -> dict:
    return {"user": user["name"], "ignore_auth": False}


def choose(user: dict, mode: str) -> dict:
    return call_action("yiyang_notification_preference_update", ctx(user), mail_mode=mode)


def _age(rows: list[Notification], moment: datetime.datetime) -> None:
    for row in rows:
        model.Session.get(Notification, row.id).created = moment
    model.Session.commit()


class TestPreference:
    def test_immediate_by_default_and_chosen_per_user(self):
        user, other = factories.User(), factories.User()
        show = call_action("yiyang_notification_preference_show", ctx(user))
        assert show["mail_mode"] == "immediate" and show["digest_since"] is None
        assert choose(user, "digest")["mail_mode"] == "digest"
        shown = call_action("yiyang_notification_preference_show", ctx(user))
        assert shown["mail_mode"] == "digest" and shown["digest_since"]
        assert call_action("yiyang_notification_preference_show", ctx(other))["mail_mode"] == (
            "immediate"
        )

    def test_bad_mode_and_other_users(self):
        user, other = factories.User(), factories.User()
        with pytest.raises(tk.ValidationError) as error:
            choose(user, "weekly")
        assert "mail_mode" in error.value.error_dict
        with pytest.raises(tk.NotAuthorized):
            call_action(
                "yiyang_notification_preference_update",
                ctx(user),
                user=other["name"],
                mail_mode="digest",
            )
        with pytest.raises(tk.NotAuthorized):
            call_action("yiyang_notification_preference_show", {"user": ""})

    def test_digest_users_get_no_immediate_mail(self, queue):
        now_user = factories.User(email="now@yiyang.test")
        later = factories.User(email="later@yiyang.test")
        choose(later, "digest")
        rows = notify([now_user["id"], later["id"]], kind="k", title="一条通知")
        assert len(rows) == 2  # both inboxes
        (job,) = jobs.get_queue(queue).jobs
        assert job.args[0] == [r.id for r in rows if r.user_id == now_user["id"]]
        notify([later["id"]], kind="k", title="只给汇总的")
        assert jobs.get_queue(queue).count == 1  # nothing enqueued for the digest user

    def test_set_on_the_inbox_page(self, app):
        user = factories.User()
        headers = {"Authorization": factories.APIToken(user=user["name"])["token"]}
        page = app.get("/dashboard/notifications", headers=headers)
        assert 'name="mail_mode"' in page.body and 'value="immediate" checked' in page.body
        app.post(
            "/dashboard/notifications/settings", data={"mail_mode": "digest"}, headers=headers
        )
        page = app.get("/dashboard/notifications", headers=headers)
        assert 'value="digest" checked' in page.body

    def test_set_on_the_users_own_page(self, app):
        user = factories.User(fullname="赵六", email="zhaoliu@yiyang.test")
        headers = {"Authorization": factories.APIToken(user=user["name"])["token"]}
        form = app.get(f"/user/edit/{user['name']}", headers=headers)
        assert 'name="yiyang_mail_mode"' in form.body
        assert 'id="field-mail-mode-immediate" value="immediate" checked' in form.body
        response = app.post(
            f"/user/edit/{user['name']}",
            data={
                "name": user["name"],
                "fullname": "赵六",
                "email": "zhaoliu@yiyang.test",
                "about": "",
                "yiyang_mail_mode": "digest",
                "save": "",
            },
            headers=headers,
            follow_redirects=False,
        )
        assert response.status_code == 302, response.body
        shown = call_action("yiyang_notification_preference_show", ctx(user))
        assert shown["mail_mode"] == "digest"
        form = app.get(f"/user/edit/{user['name']}", headers=headers)
        assert 'id="field-mail-mode-digest" value="digest" checked' in form.body
        # the API's user_update takes it too, and refuses nonsense
        with pytest.raises(tk.ValidationError) as error:
            call_action(
                "user_update",
                ctx(user),
                id=user["id"],
                email="zhaoliu@yiyang.test",
                yiyang_mail_mode="hourly",
            )
        assert "yiyang_mail_mode" in error.value.error_dict


class TestDigest:
    def test_one_mail_per_user_with_everything_since_the_last(self, mail_sink):
        zhang = factories.User(fullname="张三", email="zhangsan@yiyang.test")
        li = factories.User(fullname="李四", email="lisi@yiyang.test")
        wang = factories.User(fullname="王五", email="wangwu@yiyang.test")  # immediate
        for user in (zhang, li):
            choose(user, "digest")
        start = datetime.datetime.utcnow()
        notify([zhang["id"], li["id"], wang["id"]], kind="k", title="第一条", mail=False)
        notify(
            [zhang["id"]],
            kind="k",
            title="第二条",
            body="请审核。",
            link="/dataset/x",
            mail=False,
        )
        first_run = start + datetime.timedelta(hours=1)
        assert digest.send_digests(first_run) == {
            "sent": 2,
            "nothing": 0,
            "no_email": 0,
            "failed": 0,
        }
        mails = {str(m["To"]): m for m in mail_sink.messages()}
        assert sorted(mails) == ["张三 <zhangsan@yiyang.test>", "李四 <lisi@yiyang.test>"]
        text = mails["张三 <zhangsan@yiyang.test>"].get_body(("plain",)).get_content()
        assert "第一条" in text and "第二条" in text and "请审核。" in text
        assert f"{tk.config['ckan.site_url']}/dataset/x" in text
        assert str(mails["张三 <zhangsan@yiyang.test>"]["Subject"]).endswith("您有 2 条新通知")

        # again the same day: nothing new, nothing sent twice
        assert digest.send_digests(first_run + datetime.timedelta(minutes=5))["sent"] == 0
        assert len(mail_sink.messages()) == 2

        # the next day: only what came since
        later = notify([zhang["id"]], kind="k", title="第三条", mail=False)
        _age(later, first_run + datetime.timedelta(hours=2))
        assert digest.send_digests(first_run + datetime.timedelta(days=1))["sent"] == 1
        newest = mail_sink.messages()[-1]
        text = newest.get_body(("plain",)).get_content()
        assert "第三条" in text and "第一条" not in text

    def test_two_runs_at_once_mail_a_user_once(self, mail_sink, request):
        user = factories.User(email="once@yiyang.test")
        choose(user, "digest")
        notify([user["id"]], kind="k", title="只发一次", mail=False)
        moment = datetime.datetime.utcnow() + datetime.timedelta(minutes=1)
        app = request.getfixturevalue("app").flask_app
        results: list[dict[str, int]] = []

        def run() -> None:
            with app.app_context():
                try:
                    results.append(digest.send_digests(moment))
                finally:
                    model.Session.remove()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(r["sent"] for r in results) == [0, 1]
        assert len(mail_sink.messages()) == 1

    def test_cli_command(self, mail_sink, request):
        from ckanext.yiyang.notify.cli import send_notification_digests

        user = factories.User(email="cli@yiyang.test")
        choose(user, "digest")
        notify([user["id"]], kind="k", title="命令行汇总", mail=False)
        result = CliRunner().invoke(send_notification_digests, [])
        assert result.exit_code == 0, result.output
        assert "1 digests sent" in result.output
        assert len(mail_sink.messages()) == 1

    def test_cli_enqueue(self, queue):
        from ckanext.yiyang.notify.cli import send_notification_digests

        result = CliRunner().invoke(send_notification_digests, ["--enqueue"])
        assert result.exit_code == 0, result.output
        (job,) = jobs.get_queue(queue).jobs
        assert job.func_name.endswith("digest.send_digests")
