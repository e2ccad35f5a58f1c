"""Usage feedback is asked after a grant's first use (issue 14.3): the applicant unit's first
served read of the granted data (the read signal every data path sends) asks the applicant
once, by a notice in the inbox and a mail sent by a background job, and puts the grant in the
desk's 待评价 slot. A second read asks nothing, nor two first reads at the same time more than
once; reads by another unit, the provider's own reads and a revoked grant's refused read ask
nothing. The feedback form is open before the ask too."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import ckan.lib.jobs as jobs
import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories

from ckanext.yiyang.objection import feedback_ask
from ckanext.yiyang.objection.model import FeedbackRequest

QUEUE = "yiyang-feedback-ask-test"

pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
    pytest.mark.ckan_config("ckanext.yiyang.notify.queue", QUEUE),
    pytest.mark.ckan_config("smtp.mail_from", "noreply@yiyang.test"),
]

RESOURCE = {"name": "数据文件", "url": "https://data.example.org/enterprises.csv", "format": "CSV"}


@pytest.fixture
def queue() -> Iterator[str]:
    jobs.get_queue(QUEUE).empty()
    yield QUEUE
    jobs.get_queue(QUEUE).empty()


def work() -> None:
    jobs.Worker([QUEUE]).work(burst=True)


def token(user: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def download(app: Any, entry: dict[str, Any], user: dict[str, Any] | None) -> int:
    resource = entry["resources"][0]["id"]
    return app.get(
        f"/dataset/{entry['name']}/resource/{resource}/download",
        headers=token(user) if user else {},
        follow_redirects=False,
    ).status_code


def asks(user: dict[str, Any]) -> list[dict[str, Any]]:
    results = tk.get_action("yiyang_notification_list")({"user": user["name"]}, {})["results"]
    return [n for n in results if n["kind"] == feedback_ask.KIND]


def asked_mails(mail_sink: Any) -> list[Any]:
    return [m for m in mail_sink.messages() if "请评价" in str(m["Subject"])]


def rows() -> int:
    return model.Session.query(FeedbackRequest).count()


@pytest.fixture
def conditional(people, entry_factory) -> dict[str, Any]:
    """A conditional entry of the providing unit with a data resource, granted to the raiser's
    unit by the provider's admin."""
    entry = entry_factory(
        people["provider_unit"]["id"],
        published=True,
        title="企业注册登记信息",
        share_type="conditional",
        resources=[RESOURCE],
    )
    sub = tk.get_action("yiyang_subscription_create")(
        {"user": people["raiser"]["name"]},
        {"dataset_id": entry["id"], "purpose": "work_reference", "purpose_detail": "核对企业"},
    )
    granted = tk.get_action("yiyang_subscription_approve")(
        {"user": people["admin"]["name"]}, {"id": sub["id"]}
    )
    assert granted["status"] == "approved"
    return {"entry": entry, "grant": granted}


def test_first_read_asks_once_second_read_nothing(app, people, conditional, queue, mail_sink):
    raiser, grant = people["raiser"], conditional["grant"]
    # the form is open before any use
    assert (
        app.get(f"/subscription/{grant['id']}/feedback", headers=token(raiser)).status_code == 200
    )
    work()  # the approval's own notices go out first
    before = len(mail_sink.messages())

    assert download(app, conditional["entry"], raiser) in (200, 302)
    assert asks(raiser) == [], "asked by a background job, not in the request"
    work()
    (notice,) = asks(raiser)
    assert notice["link"] == f"/subscription/{grant['id']}/feedback"
    assert "企业注册登记信息" in notice["title"] and "请评价" in notice["title"]
    (mail,) = asked_mails(mail_sink)
    assert str(mail["To"]).endswith("<raiser@yiyang.test>")
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert f"/subscription/{grant['id']}/feedback" in text and "数据质量" in text
    assert len(mail_sink.messages()) == before + 1
    row = model.Session.get(FeedbackRequest, grant["id"])
    assert row is not None and row.read_by == raiser["name"] and row.how == "download"

    desk = tk.get_action("yiyang_desk_show")({"user": raiser["name"]}, {})
    (item,) = desk["objections"]["to_rate"]["items"]
    assert item["id"] == grant["id"] and item["asked_at"]
    page = app.get("/desk", headers=token(raiser)).body
    assert 'id="desk-objections-to_rate"' in page and "首次使用" in page

    assert download(app, conditional["entry"], raiser) in (200, 302)
    work()
    assert len(asks(raiser)) == 1 and len(asked_mails(mail_sink)) == 1 and rows() == 1

    # rated: off the desk
    tk.get_action("yiyang_feedback_create")(
        {"user": raiser["name"]},
        {
            "subscription_id": grant["id"],
            "quality": 4,
            "timeliness": 4,
            "satisfaction": 5,
            "outcome": "企业核对时间由3天缩短到半天",
        },
    )
    desk = tk.get_action("yiyang_desk_show")({"user": raiser["name"]}, {})
    assert desk["objections"]["to_rate"]["count"] == 0


def test_the_job_after_a_rating_asks_nothing(people, conditional):
    """Rated between the read and the job: the job has nothing to ask."""
    grant = conditional["grant"]
    assert feedback_ask.first_reads(people["raiser"]["name"], grant["dataset_id"], "dump") == [
        grant["id"]
    ]
    tk.get_action("yiyang_feedback_create")(
        {"user": people["raiser"]["name"]},
        {
            "subscription_id": grant["id"],
            "quality": 3,
            "timeliness": 3,
            "satisfaction": 3,
            "outcome": "用于核对",
        },
    )
    assert feedback_ask.ask(grant["id"]) == 0
    assert asks(people["raiser"]) == []


@pytest.mark.parametrize("role", ["member", "editor", "admin", "reviewer", "sysadmin"])
def test_the_providers_and_the_offices_reads_ask_nothing(
    app, people, conditional, queue, mail_sink, role
):
    work()
    before = len(mail_sink.messages())
    assert download(app, conditional["entry"], people[role]) in (200, 302)
    work()
    assert rows() == 0 and asks(people["raiser"]) == []
    assert len(mail_sink.messages()) == before


def test_another_units_served_read_asks_nothing(app, people, entry_factory, queue, mail_sink):
    """An unconditional entry anyone in government reads: the raiser's unit holds a grant,
    another unit's read is no use of it."""
    entry = entry_factory(
        people["provider_unit"]["id"],
        published=True,
        title="企业名录",
        share_type="unconditional",
        share_condition="",
        disclosure_scope="public",
        resources=[RESOURCE],
    )
    grant = tk.get_action("yiyang_subscription_create")(
        {"user": people["raiser"]["name"]},
        {"dataset_id": entry["id"], "purpose": "work_reference", "purpose_detail": "入学审核"},
    )
    assert grant["status"] == "approved"
    work()
    before = len(mail_sink.messages())
    for role in ("outsider", "registered", None):
        assert download(app, entry, people[role] if role else None) in (200, 302)
    work()
    assert rows() == 0 and asks(people["raiser"]) == []
    assert len(mail_sink.messages()) == before
    # the applicant's unit's read is a use
    assert download(app, entry, people["raiser"]) in (200, 302)
    work()
    assert rows() == 1 and len(asks(people["raiser"])) == 1


def test_a_revoked_grants_refused_read_asks_nothing(app, people, conditional, queue, mail_sink):
    grant = conditional["grant"]
    tk.get_action("yiyang_subscription_revoke")(
        {"user": people["admin"]["name"]}, {"id": grant["id"], "reason": "用途已结束"}
    )
    work()
    before = len(mail_sink.messages())
    assert download(app, conditional["entry"], people["raiser"]) == 403
    work()
    assert rows() == 0 and asks(people["raiser"]) == []
    assert len(mail_sink.messages()) == before


def test_two_first_reads_at_once_ask_once(people, conditional, app):
    """Two first reads racing (two requests, two connections): one row, one ask."""
    grant = conditional["grant"]
    name = people["raiser"]["name"]
    barrier = threading.Barrier(2)
    results: list[list[str]] = []
    flask_app = app.flask_app

    def read() -> None:
        with flask_app.test_request_context("/"):
            barrier.wait()
            results.append(feedback_ask.first_reads(name, grant["dataset_id"], "datastore_search"))
            model.Session.remove()

    threads = [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [[], [grant["id"]]]
    assert rows() == 1
