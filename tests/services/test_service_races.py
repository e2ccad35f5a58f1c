"""Two admins at once, through the real portal (two requests in parallel): one revocation of an
account wins and the other is refused (409, a ValidationError naming the account); one of two
accounts of the same name is created."""

from __future__ import annotations

import threading

import ckan.plugins.toolkit as tk
import pytest
import requests

from .conftest import service

pytestmark = pytest.mark.usefixtures("with_plugins")


def _token(user: dict) -> str:
    return tk.get_action("api_token_create")(
        {"user": user["name"]}, {"user": user["name"], "name": "race"}
    )["token"]


def _together(calls) -> list[requests.Response]:
    barrier = threading.Barrier(len(calls))
    answers: list[requests.Response | None] = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        answers[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert all(a is not None for a in answers)
    return answers  # type: ignore[return-value]


def test_two_revocations_at_once_one_wins(live_portal, world, new_name):
    users = world["users"]
    account = service(
        "create",
        users["applicant_admin"],
        org_id=world["applicant"]["id"],
        name=new_name(),
        title="并发撤销",
    )
    url = f"{live_portal}/api/3/action/yiyang_service_account_revoke"
    tokens = [_token(users["applicant_admin"]), _token(users["sysadmin"])]
    answers = _together(
        [
            lambda t=t: requests.post(
                url, json={"id": account["id"]}, headers={"Authorization": t}
            )
            for t in tokens
        ]
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    refused = next(a for a in answers if a.status_code == 409).json()
    assert "id" in refused["error"]
    gone = requests.get(
        f"{live_portal}/api/3/action/status_show", headers={"Authorization": account["token"]}
    )
    assert gone.status_code == 403


def test_two_accounts_of_one_name_at_once_one_is_made(live_portal, world, new_name):
    users = world["users"]
    name = new_name()
    url = f"{live_portal}/api/3/action/yiyang_service_account_create"
    tokens = [_token(users["applicant_admin"]), _token(users["sysadmin"])]
    data = {"org_id": world["applicant"]["id"], "name": name, "title": "并发创建"}
    answers = _together(
        [lambda t=t: requests.post(url, json=data, headers={"Authorization": t}) for t in tokens]
    )
    assert sorted(a.status_code for a in answers) == [200, 409]
    listed = service("list", users["applicant_admin"], org_id=world["applicant"]["id"])
    assert [a["name"] for a in listed["results"]].count(name) == 1
