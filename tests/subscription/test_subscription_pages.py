"""The pages: the "apply" button and form on the entry page, the lists and their buttons."""

from __future__ import annotations

import pytest
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _token(world, role):
    return {"Authorization": factories.APIToken(user=world["users"][role]["name"])["token"]}


def test_apply_button_and_form(app, world, act):
    entry = world["entries"]["conditional"]
    page = app.get(f"/dataset/{entry['name']}", headers=_token(world, "applicant_member")).body
    assert "申请使用" in page and f"/dataset/{entry['name']}/subscribe" in page
    assert "申请后方可使用" in page or "申请" in page
    own = app.get(f"/dataset/{entry['name']}", headers=_token(world, "provider_admin")).body
    assert f"/dataset/{entry['name']}/subscribe" not in own
    anonymous = app.get(f"/dataset/{entry['name']}").body
    assert f"/dataset/{entry['name']}/subscribe" not in anonymous

    form = app.get(
        f"/dataset/{entry['name']}/subscribe", headers=_token(world, "applicant_member")
    )
    assert form.status_code == 200 and "业务协同" in form.body
    response = app.post(
        f"/dataset/{entry['name']}/subscribe",
        headers=_token(world, "applicant_member"),
        data={"purpose": "business_collaboration", "purpose_detail": "核对企业信息"},
        follow_redirects=False,
    )
    assert response.status_code == 302
    (sub,) = act("list", world["users"]["applicant_member"])["results"]
    assert sub["status"] == "pending"
    refused = app.post(
        f"/dataset/{entry['name']}/subscribe",
        headers=_token(world, "applicant_member"),
        data={"purpose": "business_collaboration", "purpose_detail": ""},
    )
    assert refused.status_code == 200 and "已申请" in refused.body


def test_lists_and_decisions(app, world, act, apply):
    sub = apply()
    mine = app.get("/subscriptions", headers=_token(world, "applicant_editor")).body
    assert "企业登记信息conditional" in mine and "待审批" in mine
    queue = app.get("/subscriptions?scope=received", headers=_token(world, "provider_admin")).body
    assert "企业登记信息conditional" in queue and f"/subscription/{sub['id']}/approve" in queue
    member_view = app.get(
        "/subscriptions?scope=received", headers=_token(world, "provider_member")
    ).body
    assert f"/subscription/{sub['id']}/approve" not in member_view
    app.post(
        f"/subscription/{sub['id']}/approve",
        headers=_token(world, "provider_admin"),
        data={"scope": "received"},
    )
    assert act("show", world["users"]["sysadmin"], id=sub["id"])["status"] == "approved"
    assert app.get("/subscriptions").status_code == 403
    assert (
        app.get(
            "/subscriptions?scope=escalated", headers=_token(world, "provider_admin")
        ).status_code
        == 403
    )


def test_lists_are_paged(app, world, apply, monkeypatch):
    """The lists show ``LIST_PAGE`` applications a page, newest first, with the pager (the
    office's can hold thousands)."""
    from ckanext.yiyang.subscription import views

    older = apply("unconditional")
    newer = apply("conditional")
    monkeypatch.setattr(views, "LIST_PAGE", 1)
    headers = _token(world, "applicant_editor")
    first = app.get("/subscriptions?scope=applied", headers=headers).body
    second = app.get("/subscriptions?scope=applied&page=2", headers=headers).body
    assert f"/subscription/{newer['id']}" in first and f"/subscription/{older['id']}" not in first
    assert (
        f"/subscription/{older['id']}" in second and f"/subscription/{newer['id']}" not in second
    )
    assert "page=2" in first and "scope=applied" in first  # the pager keeps the list


def test_a_person_renamed_between_two_pages_shows_the_new_name(app, world, apply):
    """A list names each person once per request (kept with the request, not beyond it)."""
    from ckan import model

    apply()
    headers = _token(world, "provider_admin")
    assert "申请人甲" not in app.get("/subscriptions?scope=received", headers=headers).body
    account = model.User.get(world["users"]["applicant_member"]["name"])
    account.fullname = "申请人甲"
    model.repo.commit()
    assert "申请人甲" in app.get("/subscriptions?scope=received", headers=headers).body
