"""Reviewing a working copy shows what changed, value by value and 信息项 by 信息项
(issue 12.4): an untouched 信息项 list is not reported as changed."""

from __future__ import annotations

import bs4
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from werkzeug.datastructures import MultiDict

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def form_fields(html: str) -> list[tuple[str, str]]:
    """What a browser posts for the entry form as printed (no script)."""
    form = bs4.BeautifulSoup(html, "html.parser").find("form", id="dataset-edit")
    fields: list[tuple[str, str]] = []
    for tag in form.find_all(["input", "select", "textarea"]):
        name = tag.get("name")
        if not name or tag.get("disabled") is not None:
            continue
        if tag.name == "select":
            chosen = tag.find("option", selected=True) or tag.find("option")
            fields.append((name, chosen.get("value", chosen.text) if chosen else ""))
        elif tag.name == "textarea":
            fields.append((name, tag.text))
        elif tag.get("type") in ("checkbox", "radio"):
            if tag.get("checked") is not None:
                fields.append((name, tag.get("value", "on")))
        elif tag.get("type") not in ("submit", "button", "file"):
            fields.append((name, tag.get("value", "")))
    return fields


def test_untouched_items_are_not_a_change_and_values_are_shown(app, make_unit, entry_factory):
    editor = factories.User()
    reviewer = factories.Sysadmin()
    unit = make_unit(users=[{"name": editor["name"], "capacity": "editor"}])
    entry = entry_factory(owner_org=unit["id"], published=True)
    headers = {"Authorization": factories.APIToken(user=editor["name"])["token"]}

    page = app.get(f"/dataset/edit/{entry['name']}", headers=headers).body
    fields = [
        (k, "益阳市企业注册登记信息（2024年版）" if k == "title" else v)
        for k, v in form_fields(page)
    ]
    fields.append(("save", ""))
    fields = [f for f in fields if "REPEATING" not in f[0]]
    response = app.post(f"/dataset/edit/{entry['name']}", data=MultiDict(fields), headers=headers)
    assert response.status_code == 200

    revision = tk.get_action("yiyang_revision_show")({"user": editor["name"]}, {"id": entry["id"]})
    assert [c["field"] for c in revision["changes"]] == ["title"], revision["changes"]

    review_headers = {"Authorization": factories.APIToken(user=reviewer["name"])["token"]}
    shown = app.get(f"/dataset/{entry['name']}", headers=review_headers).body
    panel = bs4.BeautifulSoup(shown, "html.parser").select_one(".yiyang-revision")
    text = panel.get_text(" ", strip=True)
    assert "益阳市企业注册登记信息" in text and "益阳市企业注册登记信息（2024年版）" in text


def test_items_are_shown_item_by_item(app, make_unit, entry_factory):
    editor = factories.User()
    reviewer = factories.Sysadmin()
    unit = make_unit(users=[{"name": editor["name"], "capacity": "editor"}])
    entry = entry_factory(owner_org=unit["id"], published=True)
    items = [
        {**entry["data_items"][0], "data_type": "integer", "length": ""},
        {"name": "成立日期", "data_type": "datetime", "disclosure_scope": "public"},
    ]
    tk.get_action("package_patch")(
        {"user": editor["name"]}, {"id": entry["id"], "data_items": items}
    )

    headers = {"Authorization": factories.APIToken(user=reviewer["name"])["token"]}
    shown = app.get(f"/dataset/{entry['name']}", headers=headers).body
    panel = bs4.BeautifulSoup(shown, "html.parser").select_one(".yiyang-revision")
    changed = panel.select_one(".yiyang-item-changed").get_text(" ", strip=True)
    assert "企业名称" in changed and "字符型" in changed and "整数型" in changed
    assert "成立日期" in panel.select_one(".yiyang-item-added").get_text()
    assert "日期时间型" in panel.select_one(".yiyang-item-added").get_text()
    assert "注册资本" in panel.select_one(".yiyang-item-removed").get_text()
    assert "datetime" not in panel.get_text()


def test_history_is_paged(make_unit, entry_factory):
    editor = factories.User()
    unit = make_unit(users=[{"name": editor["name"], "capacity": "editor"}])
    entry = entry_factory(owner_org=unit["id"], published=True)
    history = tk.get_action("yiyang_review_history")
    context = {"user": editor["name"]}
    assert history(context, {"id": entry["id"]})["count"] == 2
    page = history(context, {"id": entry["id"], "limit": 1, "offset": 1})
    assert page["count"] == 2 and [e["to"] for e in page["results"]] == ["published"]
    assert len(history(context, {"id": entry["id"], "limit": 501})["results"]) == 2  # cut
    with pytest.raises(tk.ValidationError):
        history(context, {"id": entry["id"], "limit": -1})
