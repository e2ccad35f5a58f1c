"""The home page, the office's notices and the guide, as pages and as actions."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.yiyang import config

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def token(user: dict) -> dict:
    made = tk.get_action("api_token_create")(
        {"user": user["name"]}, {"user": user["name"], "name": "test"}
    )
    return {"Authorization": made["token"]}


@pytest.fixture
def office():
    reviewer = factories.User(fullname="欧阳倩")
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": reviewer["name"], "capacity": "member"}],
    )
    return reviewer


def test_the_office_publishes_and_deletes_notices(office):
    context = {"user": office["name"]}
    first = tk.get_action("yiyang_notice_create")(
        dict(context), {"title": "第一条", "body": "正文"}
    )
    tk.get_action("yiyang_notice_create")(dict(context), {"title": "第二条"})
    listed = tk.get_action("yiyang_notice_list")({"user": None}, {})
    assert listed["count"] == 2
    assert [n["title"] for n in listed["results"]] == ["第二条", "第一条"]
    assert listed["results"][1]["author"] == "欧阳倩"
    tk.get_action("yiyang_notice_delete")(dict(context), {"id": first["id"]})
    assert tk.get_action("yiyang_notice_list")({"user": None}, {})["count"] == 1
    with pytest.raises(tk.ObjectNotFound):  # deleted already: the second of two is told
        tk.get_action("yiyang_notice_delete")(dict(context), {"id": first["id"]})


def test_a_notice_needs_a_title(office):
    with pytest.raises(tk.ValidationError) as error:
        tk.get_action("yiyang_notice_create")({"user": office["name"]}, {"title": "  "})
    assert "title" in error.value.error_dict


def test_only_the_office_publishes_notices(make_unit, office):
    editor = factories.User()
    make_unit(users=[{"name": editor["name"], "capacity": "admin"}])
    for user in (editor["name"], None):
        with pytest.raises(tk.NotAuthorized):
            tk.get_action("yiyang_notice_create")({"user": user}, {"title": "通知"})
        with pytest.raises(tk.NotAuthorized):
            tk.get_action("yiyang_notice_delete")({"user": user}, {"id": "x"})


def test_the_home_page_shows_figures_notices_and_the_login_hint(app, office, entry_factory):
    tk.get_action("yiyang_notice_create")({"user": office["name"]}, {"title": "目录编制通知"})
    entry_factory(published=True, title="全市学校名录", disclosure_scope="public")
    body = app.get("/").body
    assert "yiyang-figures" in body
    assert "全市学校名录" in body  # latest published
    assert "目录编制通知" in body
    assert "yiyang-home-login" in body
    assert "政府用户" in body or "Government users" not in body
    logged_in = app.get("/", headers=token(office)).body
    assert "yiyang-home-login" not in logged_in


def test_the_notices_page_has_the_form_for_the_office_only(app, office):
    assert "yiyang-notice-form" in app.get("/notices", headers=token(office)).body
    assert "yiyang-notice-form" not in app.get("/notices").body
    app.post(
        "/notices", data={"title": "表单发布的通知", "body": "一段\n\n两段"}, headers=token(office)
    )
    page = app.get("/notices").body
    assert "表单发布的通知" in page and "<p>两段</p>" in page
    app.post("/notices", data={"title": "匿名通知"}, status=403)


@pytest.mark.parametrize("role", ["editor", "admin", "reviewer", "applicant", "visitor"])
def test_a_guide_page_per_role(app, role):
    body = app.get(f"/guide/{role}").body
    assert "yiyang-guide-steps" in body
    assert "/about" in body
    assert f"/guide/{role}" in app.get("/guide").body


def test_an_unknown_guide_page_is_not_found(app):
    app.get("/guide/nobody", status=404)
    app.get("/guide/screenshots/..%2Fsecret.png", status=404)


def test_the_guide_serves_the_screenshots_it_has(app, tmp_path, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.yiyang.guide.screenshot_dir", str(tmp_path))
    body = app.get("/guide/visitor").body
    assert "/guide/screenshots/guide-visitor-home.png" not in body  # none yet: text only
    (tmp_path / "guide-visitor-home.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    body = app.get("/guide/visitor").body
    assert "/guide/screenshots/guide-visitor-home.png" in body
    served = app.get("/guide/screenshots/guide-visitor-home.png")
    assert served.headers["Content-Type"] == "image/png"
    app.get("/guide/screenshots/guide-visitor-search.png", status=404)
