"""Each step of an objection is notified to whoever acts next, and to the raiser (issue 14.2);
the pages answer in Chinese and under /en in English."""

from __future__ import annotations

import contextlib

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from .conftest import act, revision_of

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def kinds(user):
    results = tk.get_action("yiyang_notification_list")({"user": user["name"]}, {})["results"]
    return [n["kind"] for n in results if n["kind"].startswith("objection_")]


@pytest.mark.usefixtures("with_request_context")
def test_every_step_is_notified(people, raise_objection):
    o = raise_objection()
    assert kinds(people["reviewer"]) == ["objection_create"]
    act("accept", people["reviewer"], id=o["id"])
    assert "objection_accept" in kinds(people["editor"])
    assert "objection_accept" in kinds(people["raiser"])
    assert "objection_accept" not in kinds(people["member"])  # editors and admins act
    act("resolve", people["editor"], id=o["id"], outcome="corrected", revision=revision_of(people))
    assert "objection_resolve" in kinds(people["raiser"])
    act("close", people["reviewer"], id=o["id"])
    assert "objection_close" in kinds(people["raiser"])


def test_pages_in_chinese_and_english(people, raise_objection, app):
    o = raise_objection()
    token = factories.APIToken(user=people["reviewer"]["name"])["token"]
    headers = {"Authorization": token}
    page = app.get(f"/objection/{o['id']}", headers=headers).body
    assert "已提出，待受理" in page and "受理并转提供单位" in page
    page = app.get(f"/en/objection/{o['id']}", headers=headers).body
    assert "Raised, waiting to be accepted" in page and "Accept and forward" in page
    listing = app.get("/objections?scope=office", headers=headers).body
    assert "户籍人口信息" in listing
    form = app.get(
        f"/dataset/{people['entry']['name']}/objection",
        headers={"Authorization": factories.APIToken(user=people["raiser"]["name"])["token"]},
    ).body
    assert "数据错误" in form and "企业名称" in form
    assert app.get(f"/dataset/{people['entry']['name']}/objection", status=403)


def test_the_mark_is_never_stored_with_the_entry(people, raise_objection):
    """``has_objection`` is computed on show: an update that sends the shown dict back does not
    store it (it would outlive the objection)."""
    from ckan import model

    raise_objection()
    sysadmin = {"user": people["sysadmin"]["name"]}
    shown = tk.get_action("package_show")(sysadmin, {"id": people["entry"]["id"]})
    assert shown["has_objection"] is True
    # the review workflow may divert or refuse; what matters is what is stored
    with contextlib.suppress(tk.ValidationError):
        tk.get_action("package_update")(sysadmin, shown)
    package = model.Package.get(people["entry"]["id"])
    assert "has_objection" not in (package.extras or {})
