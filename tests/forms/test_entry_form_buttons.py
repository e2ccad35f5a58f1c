"""The edit form of an entry offers what its review state allows (issue 12.9): never CKAN's
"Unpublish" (it hid the entry as a CKAN draft), delete only before publication or after
withdrawal, not while the entry waits for review."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_buttons_follow_the_review_state(app, make_unit, entry_factory):
    editor = factories.User()
    unit = make_unit(users=[{"name": editor["name"], "capacity": "editor"}])
    headers = {"Authorization": factories.APIToken(user=editor["name"])["token"]}
    draft = entry_factory(owner_org=unit["id"])
    submitted = entry_factory(owner_org=unit["id"])
    tk.get_action("yiyang_review_submit")({"user": editor["name"]}, {"id": submitted["id"]})

    page = app.get(f"/dataset/edit/{draft['name']}", headers=headers).body
    assert "go-metadata-unpublish" not in page
    assert f"/dataset/delete/{draft['id']}" in page

    page = app.get(f"/dataset/edit/{submitted['name']}", headers=headers).body
    assert "go-metadata-unpublish" not in page
    assert f"/dataset/delete/{submitted['id']}" not in page
