"""Data service accounts (issue 13 point 5): who may create, list and revoke them; what the
account is (a member of its unit, no web login, no person to pick or mail); what its token
reads (a member's view, the unit's grants included); revoked and expired tokens refused (403);
the rate limit per token (429 with Retry-After)."""

from __future__ import annotations

import datetime
import time
from unittest import mock

import ckan.plugins.toolkit as tk
import pytest
from ckan import model

from ckanext.yiyang import roles
from ckanext.yiyang.services import MARK, counter
from ckanext.yiyang.services.model import ServiceAccount

from .conftest import service

pytestmark = pytest.mark.usefixtures("with_plugins")

ROLES = (
    "anonymous",
    "applicant_member",
    "applicant_editor",
    "applicant_admin",
    "provider_admin",  # admin of another unit
    "reviewer",
    "sysadmin",
)
MAY_CREATE = {"applicant_admin", "sysadmin"}
MAY_LIST = {"applicant_admin", "reviewer", "sysadmin"}
MAY_REVOKE = {"applicant_admin", "sysadmin"}


def _user(world, role):
    return None if role == "anonymous" else world["users"][role]


def _create(world, name, by="applicant_admin", **data):
    data.setdefault("title", "不动产登记系统")
    return service(
        "create", world["users"][by], org_id=world["applicant"]["name"], name=name, **data
    )


def _refused(call) -> bool:
    try:
        call()
    except tk.NotAuthorized:
        return True
    return False


@pytest.mark.parametrize("role", ROLES)
def test_who_may_create(world, new_name, role):
    user = _user(world, role)
    refused = _refused(
        lambda: service(
            "create", user, org_id=world["applicant"]["id"], name=new_name(), title="系统"
        )
    )
    assert refused is (role not in MAY_CREATE)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_list(world, role):
    user = _user(world, role)
    refused = _refused(lambda: service("list", user, org_id=world["applicant"]["id"]))
    assert refused is (role not in MAY_LIST)
    # all units at once: the office only
    refused_all = _refused(lambda: service("list", user))
    assert refused_all is (role not in {"reviewer", "sysadmin"})


@pytest.mark.parametrize("role", ROLES)
def test_who_may_revoke(world, new_name, role):
    account = _create(world, new_name())
    user = _user(world, role)
    refused = _refused(lambda: service("revoke", user, id=account["id"]))
    assert refused is (role not in MAY_REVOKE)
    row = model.Session.get(ServiceAccount, account["id"])
    model.Session.refresh(row)
    assert (row.revoked_at is None) is refused


def test_the_account_is_a_member_and_no_person(world, new_name):
    name = new_name()
    created = _create(world, name, expires_in_days=30)
    unit = world["applicant"]
    assert created["token"]
    assert created["user_name"] == f"svc-{unit['name']}-{name}"
    assert created["state"] == "active" and not created["revoked"]
    expires = datetime.datetime.fromisoformat(created["expires"])
    assert abs(expires - (datetime.datetime.utcnow() + datetime.timedelta(days=30))) < (
        datetime.timedelta(minutes=5)
    )
    user = model.User.get(created["user_name"])
    assert user.plugin_extras[MARK] == created["id"]
    # reads as a member of its unit, nothing more
    assert roles.units_of(user.name) == [unit["id"]]
    assert roles.person(user.name).units[unit["id"]] == "member"
    # never a person to mail, pick or list among the unit's staff
    assert user.id not in roles.members(unit["id"])
    admin = world["users"]["applicant_admin"]["name"]
    members = tk.get_action("member_list")(
        {"user": admin}, {"id": unit["id"], "object_type": "user"}
    )
    assert user.id not in [m[0] for m in members]
    assert world["users"]["applicant_member"]["id"] in [m[0] for m in members]
    found = tk.get_action("user_autocomplete")({"user": admin}, {"q": "svc-", "limit": 100})
    assert user.name not in [u["name"] for u in found]
    # the list never holds a token
    listed = service("list", world["users"]["applicant_admin"], org_id=unit["id"])
    mine = [a for a in listed["results"] if a["id"] == created["id"]]
    assert mine and "token" not in mine[0]
    assert created["token"] not in str(listed)
    assert listed["count"] >= 1
    assert {"calls_today", "calls_per_day", "last_used", "expires"} <= set(mine[0])


def test_other_units_accounts_are_not_listed(world, new_name):
    created = _create(world, new_name())
    provider = service("list", world["users"]["provider_admin"], org_id=world["provider"]["id"])
    assert created["id"] not in [a["id"] for a in provider["results"]]
    everything = service("list", world["users"]["reviewer"], limit=500)
    assert created["id"] in [a["id"] for a in everything["results"]]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "不可以"}, "name"),
        ({"name": "x"}, "name"),
        ({"title": "  "}, "title"),
        ({"expires_in_days": 0}, "expires_in_days"),
        ({"expires_in_days": 100000}, "expires_in_days"),
        ({"expires_at": "2020-01-01"}, "expires_at"),
        ({"expires_at": "明天"}, "expires_at"),
    ],
)
def test_bad_input_names_the_field(world, new_name, data, field):
    data = {"name": new_name(), "title": "系统", **data}
    with pytest.raises(tk.ValidationError) as error:
        service(
            "create", world["users"]["applicant_admin"], org_id=world["applicant"]["id"], **data
        )
    assert field in error.value.error_dict


def test_the_same_name_twice_is_refused(world, new_name):
    name = new_name()
    _create(world, name)
    with pytest.raises(tk.ValidationError) as error:
        _create(world, name)
    assert "name" in error.value.error_dict


def test_revoked_once(world, new_name):
    account = _create(world, new_name())
    admin = world["users"]["applicant_admin"]
    revoked = service("revoke", admin, id=account["id"])
    assert revoked["state"] == "revoked"
    with pytest.raises(tk.ValidationError) as error:
        service("revoke", world["users"]["sysadmin"], id=account["id"])
    assert "id" in error.value.error_dict
    user = model.User.get(account["user_name"])
    assert user.state == "deleted"
    assert model.Session.query(model.ApiToken).filter_by(user_id=user.id).count() == 0


# --- the token against the portal ------------------------------------------------------------


def _api(app, action, token, **params):
    headers = {"Authorization": token} if token else {}
    return app.post(f"/api/3/action/{action}", json=params, headers=headers)


@pytest.mark.ckan_config("ckanext.yiyang.services.rate_limit", 1000)
def test_the_token_reads_what_the_unit_is_granted(app, world, new_name):
    token = _create(world, new_name())["token"]
    granted = world["entries"]["conditional"]
    other = world["entries"]["not_granted"]
    own_resource = granted["resources"][0]["id"]
    other_resource = other["resources"][0]["id"]

    answer = _api(app, "resource_show", token, id=own_resource)
    assert answer.status_code == 200, answer.body
    assert "conditional-secret.csv" in answer.json["result"]["url"]
    shown = _api(app, "package_show", token, id=granted["id"]).json["result"]
    assert [r["id"] for r in shown["resources"]] == [own_resource]

    assert _api(app, "resource_show", token, id=other_resource).status_code == 403
    shown = _api(app, "package_show", token, id=other["id"]).json["result"]
    assert "not-granted-secret" not in str(shown)
    assert (
        _api(
            app, "resource_show", token, id=world["entries"]["none"]["resources"][0]["id"]
        ).status_code
        == 403
    )
    # and it is not anonymous: an anonymous caller is refused the granted data too
    assert _api(app, "resource_show", None, id=own_resource).status_code == 403
    # a member's view: its unit's unpublished entries, not another unit's
    own_draft = world["drafts"]["applicant"]
    other_draft = world["drafts"]["provider"]
    assert _api(app, "package_show", token, id=own_draft["id"]).status_code == 200
    assert _api(app, "package_show", token, id=other_draft["id"]).status_code in (403, 404)
    # exactly what a person who is a member of the unit reads
    member = world["users"]["applicant_member"]["name"]
    person = tk.get_action("api_token_create")({"user": member}, {"user": member, "name": "p"})
    calls = (
        [
            ("package_show", {"id": e["id"]})
            for e in (*world["entries"].values(), *world["drafts"].values())
        ]
        + [("resource_show", {"id": e["resources"][0]["id"]}) for e in world["entries"].values()]
        + [("package_search", {"q": "*:*", "rows": 100, "include_private": True})]
    )
    for action, params in calls:
        mine = _api(app, action, token, **params)
        theirs = _api(app, action, person["token"], **params)
        assert mine.status_code == theirs.status_code, (action, params)
        if mine.status_code == 200:
            result, other_result = mine.json["result"], theirs.json["result"]
            if action == "package_search":
                result = sorted(r["id"] for r in result["results"])
                other_result = sorted(r["id"] for r in other_result["results"])
            elif action == "package_show":
                result = [r["url"] for r in result["resources"]]
                other_result = [r["url"] for r in other_result["resources"]]
            assert result == other_result, (action, params)
    # its own calls counted for today
    listed = service("list", world["users"]["applicant_admin"], org_id=world["applicant"]["id"])
    mine = [a for a in listed["results"] if a["calls_today"]]
    assert mine and mine[0]["last_used"]


@pytest.mark.ckan_config("ckanext.yiyang.services.rate_limit", 1000)
def test_the_key_only_reads(app, world, new_name):
    token = _create(world, new_name())["token"]
    granted = world["entries"]["conditional"]
    # an application in the unit's name, an edit of its own draft, a new entry: all refused
    writes = [
        ("yiyang_subscription_create", {"dataset_id": granted["id"], "purpose": "系统对接"}),
        ("package_patch", {"id": world["drafts"]["applicant"]["id"], "title": "改名"}),
        ("package_create", {"name": new_name(), "owner_org": world["applicant"]["id"]}),
    ]
    for action, params in writes:
        answer = _api(app, action, token, **params)
        assert answer.status_code == 403, (action, answer.body)
        assert "只能读取数据" in answer.json["error"]["message"]
    assert model.Session.query(model.Package).filter_by(title="改名").count() == 0
    # reads go through, by POST as well as by GET
    assert _api(app, "package_show", token, id=granted["id"]).status_code == 200
    assert (
        app.get(
            f"/api/3/action/package_show?id={granted['id']}", headers={"Authorization": token}
        ).status_code
        == 200
    )
    # pages: reading them is a GET; a form posted with the key is refused
    assert (
        app.post("/dataset/new", data={"title": "x"}, headers={"Authorization": token}).status_code
        == 403
    )


@pytest.mark.ckan_config("ckanext.yiyang.services.rate_limit", 1000)
def test_revoked_and_expired_tokens_are_refused(app, world, new_name):
    granted_resource = world["entries"]["conditional"]["resources"][0]["id"]
    revoked = _create(world, new_name())
    assert _api(app, "resource_show", revoked["token"], id=granted_resource).status_code == 200
    service("revoke", world["users"]["applicant_admin"], id=revoked["id"])
    answer = _api(app, "resource_show", revoked["token"], id=granted_resource)
    assert answer.status_code == 403
    assert answer.json["success"] is False
    # refused on every path, public ones included (not taken for an anonymous call)
    assert _api(app, "status_show", revoked["token"]).status_code == 403
    assert app.get("/dataset/", headers={"Authorization": revoked["token"]}).status_code == 403

    expired = _create(world, new_name())
    model.Session.query(ServiceAccount).filter_by(id=expired["id"]).update(
        {"expires_at": datetime.datetime.utcnow() - datetime.timedelta(seconds=1)}
    )
    model.Session.commit()
    answer = _api(app, "resource_show", expired["token"], id=granted_resource)
    assert answer.status_code == 403
    assert answer.json["error"]["message"]
    listed = service("list", world["users"]["applicant_admin"], org_id=world["applicant"]["id"])
    states = {a["id"]: a["state"] for a in listed["results"]}
    assert states[expired["id"]] == "expired" and states[revoked["id"]] == "revoked"


def test_eleven_requests_in_a_second_the_eleventh_is_429(app, world, new_name):
    token = _create(world, new_name())["token"]
    # The limiter's clock stands still for the eleven calls, so that they fall within one second
    # however busy the machine is (a real second: test_the_limiter_counts_a_sliding_second).
    with mock.patch.object(counter.time, "time", return_value=time.time()):
        answers = [_api(app, "status_show", token) for _ in range(11)]
    assert [a.status_code for a in answers[:10]] == [200] * 10
    refused = answers[10]
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.json["success"] is False and refused.json["error"]["message"]
    # an ordinary user's token is not limited by it
    user_token = tk.get_action("api_token_create")(
        {"user": world["users"]["applicant_member"]["name"]},
        {"user": world["users"]["applicant_member"]["name"], "name": "mine"},
    )["token"]
    assert all(_api(app, "status_show", user_token).status_code == 200 for _ in range(15))


def test_the_limiter_counts_a_sliding_second(world, new_name):
    key = f"unit-test-{new_name()}-{time.time()}"
    now = 1_000_000.0
    assert [counter.admit(key, 3, now + i * 0.1) for i in range(3)] == [0, 0, 0]
    assert counter.admit(key, 3, now + 0.5) == 1
    # the oldest admitted call is a second old: served again
    assert counter.admit(key, 3, now + 1.05) == 0
    assert counter.admit(key, 0, now) == 0  # 0: no limit


def test_the_limit_answers_in_chinese(app, world, new_name):
    token = _create(world, new_name())["token"]
    answers = [_api(app, "status_show", token) for _ in range(30)]
    refused = [a for a in answers if a.status_code == 429]
    assert refused, "30 calls without a refusal"
    assert "请求" in refused[0].json["error"]["message"]
    assert all(a.status_code in (200, 429) for a in answers)


@pytest.mark.ckan_config("ckanext.yiyang.services.rate_limit", 1000)
def test_no_login_no_other_token_no_password(app, world, new_name):
    created = _create(world, new_name())
    name = created["user_name"]
    # the web form refuses the account whatever the password
    answer = app.post("/user/login", data={"login": name, "password": "anything-at-all"})
    assert answer.status_code == 403
    # nor may the account give itself a password or another token through the API
    token = created["token"]
    refused = _api(
        app, "user_update", token, id=name, email="x@example.com", password="Secret123!"
    )
    assert refused.status_code == 403
    refused = _api(app, "api_token_create", token, user=name, name="another")
    assert refused.status_code == 403
    assert model.Session.query(model.ApiToken).filter_by(user_id=created["user_name"]).count() == 0
