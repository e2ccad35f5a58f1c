"""Switching from the daily digest back to one mail each sends what was waiting for the digest
at once, in one mail, through real SMTP (the project's sink): nothing is lost until the next
digest that never comes, nothing is mailed twice, and the inbox page says so."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterator

import ckan.lib.jobs as jobs
import ckan.model as model
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.yiyang.notify import digest, notify

QUEUE = "yiyang-digest-switch-test"

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


def choose(user: dict, mode: str) -> dict:
    return call_action(
        "yiyang_notification_preference_update", {"user": user["name"]}, mail_mode=mode
    )


def _work(queue: str) -> None:
    jobs.Worker([queue]).work(burst=True)


def test_switching_to_immediate_mails_the_pending_digest(queue, mail_sink):
    user = factories.User(fullname="陈审核", email="chen@yiyang.test")
    choose(user, "digest")
    notify([user["id"]], kind="k", title="待审核：户籍人口基本信息", body="请在5个工作日内审核。")
    notify([user["id"]], kind="k", title="待审核：不动产登记信息")
    _work(queue)
    assert mail_sink.messages() == [], "digest mode: nothing mailed at once"

    shown = choose(user, "immediate")
    assert shown["mail_mode"] == "immediate"
    assert shown["flushed"] == 2
    _work(queue)
    (mail,) = mail_sink.messages()
    assert str(mail["To"]) == "陈审核 <chen@yiyang.test>"
    assert "2" in str(mail["Subject"])
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "待审核：户籍人口基本信息" in text and "待审核：不动产登记信息" in text
    assert "请在5个工作日内审核。" in text

    # nothing twice: a digest run or another switch finds nothing pending
    assert digest.send_digests()["sent"] == 0
    assert choose(user, "immediate")["flushed"] == 0
    choose(user, "digest")
    assert choose(user, "immediate")["flushed"] == 0
    _work(queue)
    assert len(mail_sink.messages()) == 1


def test_a_digest_already_sent_is_not_sent_again(queue, mail_sink):
    user = factories.User(email="li@yiyang.test")
    choose(user, "digest")
    notify([user["id"]], kind="k", title="已在摘要中的通知")
    assert digest.send_digests()["sent"] == 1
    notify([user["id"]], kind="k", title="摘要之后的通知")
    assert choose(user, "immediate")["flushed"] == 1
    _work(queue)
    texts = [m.get_body(preferencelist=("plain",)).get_content() for m in mail_sink.messages()]
    assert len(texts) == 2
    assert "摘要之后的通知" in texts[1] and "已在摘要中的通知" not in texts[1]


def test_the_inbox_says_the_pending_mails_go_now(app, queue, mail_sink):
    user = factories.UserWithToken(email="wang@yiyang.test")
    choose(user, "digest")
    notify([user["id"]], kind="k", title="待审批的共享申请")
    headers = {"Authorization": user["token"]}
    page = app.post(
        "/dashboard/notifications/settings",
        data={"mail_mode": "immediate"},
        headers=headers,
        follow_redirects=True,
    )
    assert "1 条通知原本等待每日摘要，正在发送到您的邮箱" in page.get_data(as_text=True)
    _work(queue)
    (mail,) = mail_sink.messages()
    assert "待审批的共享申请" in mail.get_body(preferencelist=("plain",)).get_content()


def _switch_during_a_digest_run(app, user: dict) -> None:
    """A digest run and the user's switch to immediate mails, released together."""
    moment = datetime.datetime.utcnow() + datetime.timedelta(minutes=1)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(step) -> None:
        with app.test_request_context("/"):
            try:
                start.wait()
                step()
            except BaseException as error:  # reported below
                errors.append(error)
            finally:
                model.Session.remove()

    steps = [lambda: digest.send_digests(moment), lambda: choose(user, "immediate")]
    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []


def test_a_switch_during_a_digest_run_mails_once(queue, mail_sink, request):
    """The switch and a digest run at the same moment: the pending notification is mailed by
    one of them, never by both, never by neither."""
    app = request.getfixturevalue("app").flask_app
    for round_ in range(3):
        user = factories.User(email=f"race{round_}@yiyang.test")
        choose(user, "digest")
        notify([user["id"]], kind="k", title=f"只发一次{round_}", mail=False)
        _switch_during_a_digest_run(app, user)
        _work(queue)
        mailed = [
            m
            for m in mail_sink.messages()
            if f"只发一次{round_}" in m.get_body(preferencelist=("plain",)).get_content()
        ]
        assert len(mailed) == 1, round_
