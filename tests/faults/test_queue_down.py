"""Redis stopped with mails and jobs queued, and while a decision sends its mail (issue 17.1):
no mail lost — each is kept in the database until sent — and nobody mailed twice."""

from __future__ import annotations

import uuid
from typing import Any

from tests.faults.conftest import UNIT, Stack
from tests.faults.test_solr_down import submitted


def editor(stack: Stack) -> dict[str, Any]:
    """An editor of the unit, with an address: approvals are mailed to them."""
    name = f"fault-editor-{uuid.uuid4().hex[:8]}"
    user = stack.portal.action(
        "user_create", name=name, email=f"{name}@example.com", password="fault-editor-2026"
    )
    stack.portal.action("organization_member_create", id=UNIT, username=name, role="editor")
    return dict(user)


def mail_states(stack: Stack, entry_id: str, user: dict[str, Any]) -> list[str | None]:
    """The state of the mail of the approval's notification to ``user``."""
    rows = stack.sql(
        "SELECT mail_state FROM yiyang_notification"
        " WHERE object_id = %s AND kind = 'review_approve' AND user_id = %s",
        entry_id,
        user["id"],
    )
    return [row[0] for row in rows]


def unsent(stack: Stack) -> int:
    rows = stack.sql(
        "SELECT count(*) FROM yiyang_notification WHERE mail_state IN ('pending', 'sending')"
    )
    return int(rows[0][0])


def mails_to(mail_sink: Any, address: str) -> list[str]:
    return [str(m["Subject"]) for m in mail_sink.messages() if address in str(m["To"])]


def test_a_queued_mail_outlives_a_redis_restart(stack: Stack, mail_sink: Any) -> None:
    user = editor(stack)
    entry = submitted(stack, "故障测试：队列中的邮件")
    assert stack.post("yiyang_review_approve", id=entry["id"]).status_code == 200
    assert mail_states(stack, entry["id"], user) == ["pending"]  # queued, no worker yet
    stack.service("redis", "stop")
    stack.service("redis", "start")
    worked = stack.worker()
    assert worked.returncode == 0, worked.stderr[-3000:]
    assert len(mails_to(mail_sink, user["email"])) == 1
    assert mail_states(stack, entry["id"], user) == ["sent"]


def test_a_decision_while_redis_is_down_keeps_its_mail(stack: Stack, mail_sink: Any) -> None:
    user = editor(stack)
    entry = submitted(stack, "故障测试：队列停止时的审核")
    stack.service("redis", "stop")
    try:
        answer = stack.post("yiyang_review_approve", id=entry["id"])
        # the decision does not need the queue: it stands, its mail waits in the database
        assert answer.status_code == 200, answer.text
        assert mail_states(stack, entry["id"], user) == ["pending"]
    finally:
        stack.service("redis", "start")
    assert stack.worker().returncode == 0
    assert mails_to(mail_sink, user["email"]) == []  # its job was never queued
    waiting = unsent(stack)  # this decision's mails (one per editor of the unit)
    assert waiting >= 1
    resent = stack.run("yiyang", "resend-notification-mails", "--minutes", "0")
    assert resent.returncode == 0, resent.stderr[-3000:]
    assert f"{waiting} notification mails enqueued again" in resent.stdout
    assert stack.worker().returncode == 0
    assert len(mails_to(mail_sink, user["email"])) == 1
    assert mail_states(stack, entry["id"], user) == ["sent"]
    assert unsent(stack) == 0
    # run again: nobody is mailed twice
    again = stack.run("yiyang", "resend-notification-mails", "--minutes", "0")
    assert "0 notification mails enqueued again" in again.stdout
    assert stack.worker().returncode == 0
    assert len(mails_to(mail_sink, user["email"])) == 1
