"""Who sees the progress view: the office (reviewers) and sysadmins every unit; a unit's
admins their own unit's row; editors, members, accounts of no unit and anonymous visitors
nothing — by the action and by the pages."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

# The scenario is built once for the module (module_clean_db): the tests only read it.
pytestmark = pytest.mark.usefixtures("with_plugins")


@pytest.fixture(name="town", scope="module")
def _town(module_town):
    return module_town


REFUSED = ("member", "editor", "registered")
PAGES = ("/progress", "/progress/export.xlsx")


@pytest.mark.parametrize("role", ["reviewer", "sysadmin"])
def test_the_office_and_sysadmins_see_every_unit(town, progress, role):
    result = progress(town[role])
    assert result["scope"] == "city"
    assert {r["id"] for r in result["results"]} == {town["police"]["id"], town["education"]["id"]}
    assert "demands_unrouted" in result["totals"]


def test_the_office_itself_is_no_row(town, progress):
    from ckanext.yiyang import config

    assert config.office_org() not in [r["name"] for r in progress(town["reviewer"])["results"]]


def test_a_units_admin_sees_the_own_row_only(town, progress):
    result = progress(town["admin"])
    assert result["scope"] == "own"
    assert [r["id"] for r in result["results"]] == [town["police"]["id"]]
    # the totals are those of the rows shown, not the town's
    assert result["totals"]["entries"] == 1
    assert result["totals"]["units"] == 1
    assert "demands_unrouted" not in result["totals"]
    assert [r["id"] for r in progress(town["other_admin"])["results"]] == [town["education"]["id"]]


@pytest.mark.parametrize("role", REFUSED)
def test_editors_members_and_others_are_refused(town, progress, role):
    with pytest.raises(tk.NotAuthorized):
        progress(town[role])


def test_anonymous_is_refused(town, progress):
    with pytest.raises(tk.NotAuthorized):
        progress(None)


def _get(app, user, path, status=200):
    headers = {}
    if user is not None:
        headers["Authorization"] = factories.APIToken(user=user["name"])["token"]
    return app.get(path, headers=headers, status=status)


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role", ["reviewer", "sysadmin", "admin"])
def test_pages_open_for_the_office_and_admins(app, town, role, path):
    _get(app, town[role], path)


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role", [*REFUSED, None])
def test_pages_refused_to_others(app, town, role, path):
    _get(app, town[role] if role else None, path, status=403)


def test_an_admins_page_shows_only_the_own_unit(app, town):
    body = _get(app, town["admin"], "/progress").body
    assert "市公安局" in body and "市教育局" not in body


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("reviewer", True),
        ("sysadmin", True),
        ("admin", True),
        ("editor", False),
        ("member", False),
        ("registered", False),
    ],
)
def test_the_navigation_links_the_page_for_who_may_see_it(app, town, role, shown):
    body = _get(app, town[role], "/dataset").body
    assert ('href="/progress"' in body) is shown


def test_no_link_for_anonymous_visitors(app, town):
    assert 'href="/progress"' not in _get(app, None, "/dataset").body
