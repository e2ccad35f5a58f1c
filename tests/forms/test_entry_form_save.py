"""The web form of a new entry (issue 12.2): a refused save writes nothing — no hidden draft,
no resource code taken — and the corrected save creates the one entry."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _taken(category: str) -> int:
    value = model.Session.execute(
        sa.text("SELECT last_value FROM yiyang_code_sequence WHERE category = :c"),
        {"c": category},
    ).scalar()
    return int(value or 0)


def _form(unit_id: str, **fields: str) -> dict[str, str]:
    # What CKAN's staged form posts (``_ckan_phase`` and an empty ``save``).
    data = {
        "_ckan_phase": "dataset_new_1",
        "pkg_name": "",
        "save": "",
        "title": "不完整的信息资源",
        "owner_org": unit_id,
        "catalog_category": "101",
    }
    data.update(fields)
    return data


def test_refused_first_save_writes_nothing(app, make_unit):
    editor = factories.User()
    unit = make_unit(users=[{"name": editor["name"], "capacity": "editor"}])
    headers = {"Authorization": factories.APIToken(user=editor["name"])["token"]}

    response = app.post("/dataset/new", data=_form(unit["id"]), headers=headers)

    assert response.status_code == 200
    assert "信息资源摘要" in response.body  # the form again, with its errors
    assert model.Session.query(model.Package).count() == 0
    assert _taken("101") == 0

    complete = _form(
        unit["id"],
        title="完整的信息资源",
        notes="摘要",
        subject_category="03",
        tag_string="人口",
        format_class="electronic_document",
        share_type="unconditional",
        share_method="platform_file",
        open_to_public="no",
        update_cycle="monthly",
        disclosure_scope="public",
        management_mode="computer",
    )
    saved = app.post("/dataset/new", data=complete, headers=headers, follow_redirects=False)
    assert saved.status_code == 302, saved.body[:2000]
    packages = model.Session.query(model.Package).all()
    assert [p.title for p in packages] == ["完整的信息资源"]
    assert packages[0].state == "active"
    assert packages[0].extras["resource_code"] == "101/000001"
    assert _taken("101") == 1
