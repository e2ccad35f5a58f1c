"""The unit's 数据服务 page through the test app: who gets it, the token shown once, errors
naming the field in Chinese, English under /en, revocation."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest

from .conftest import service

pytestmark = pytest.mark.usefixtures("with_plugins")


def _headers(world, role):
    if role == "anonymous":
        return {}
    user = world["users"][role]["name"]
    made = tk.get_action("api_token_create")({"user": user}, {"user": user, "name": "page"})
    return {"Authorization": made["token"]}


def _url(world, unit="applicant"):
    return f"/organization/{world[unit]['name']}/services"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 403),
        ("applicant_member", 403),
        ("applicant_editor", 403),
        ("provider_admin", 403),
        ("applicant_admin", 200),
        ("reviewer", 200),
        ("sysadmin", 200),
    ],
)
def test_who_gets_the_page(app, world, role, status):
    answer = app.get(_url(world), headers=_headers(world, role))
    assert answer.status_code == status
    if status == 200:
        assert "数据服务" in answer.body
        # the office sees the keys, only the unit's admins (and sysadmins) make them
        assert ("yiyang-service-form" in answer.body) is (role != "reviewer")


def test_create_shows_the_token_once_then_revoke(app, world, new_name):
    headers = _headers(world, "applicant_admin")
    name = new_name()
    answer = app.post(
        _url(world),
        data={"title": "社保核验系统", "name": name, "expires_in_days": "90"},
        headers=headers,
    )
    assert answer.status_code == 200
    assert "只显示这一次" in answer.body
    listed = service("list", world["users"]["applicant_admin"], org_id=world["applicant"]["id"])
    account = next(a for a in listed["results"] if a["name"] == name)
    again = app.get(_url(world), headers=headers)
    assert f"service-{name}" in again.body and "只显示这一次" not in again.body

    # another unit's admin may not revoke it, even through this unit's address
    other = app.post(
        f"{_url(world)}/{account['id']}/revoke", headers=_headers(world, "provider_admin")
    )
    assert other.status_code == 403
    done = app.post(
        f"{_url(world)}/{account['id']}/revoke", headers=headers, follow_redirects=False
    )
    assert done.status_code == 302
    listed = service("list", world["users"]["applicant_admin"], org_id=world["applicant"]["id"])
    assert next(a for a in listed["results"] if a["name"] == name)["state"] == "revoked"


def test_bad_input_is_named_in_chinese(app, world):
    answer = app.post(
        _url(world),
        data={"title": "系统", "name": "X!", "expires_in_days": "0"},
        headers=_headers(world, "applicant_admin"),
    )
    assert answer.status_code == 200
    assert "服务账号简称" in answer.body and "有效天数" in answer.body
    assert "yiyang-service-token" not in answer.body


def test_english_under_en(app, world):
    answer = app.get(f"/en{_url(world)}", headers=_headers(world, "applicant_admin"))
    assert answer.status_code == 200
    assert "Data services" in answer.body and "Create the key" in answer.body
    assert "数据服务" not in answer.body
