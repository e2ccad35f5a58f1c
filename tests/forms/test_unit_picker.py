"""Unit pickers list every unit — not CKAN's first 25 — in the notice's groups and order, with
a filter box (issue 12.3)."""

from __future__ import annotations

import bs4
import pytest
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def thirty_units(make_unit):
    editor = factories.User()
    units = [
        make_unit(
            title=f"单位{i:02d}",
            unit_group="01" if i % 2 else "03",
            unit_code=f"{100 + i:03d}",
            users=[{"name": editor["name"], "capacity": "editor"}] if i == 0 else [],
        )
        for i in range(30)
    ]
    return editor, units


def _picker(html: str, select_id: str) -> list[tuple[str, list[str]]]:
    select = bs4.BeautifulSoup(html, "html.parser").find("select", id=select_id)
    return [
        (g["label"], [o.text.strip() for o in g.find_all("option")])
        for g in select.find_all("optgroup")
    ]


def test_demand_provider_and_review_unit_list_every_unit(app, thirty_units):
    editor, _units = thirty_units
    headers = {"Authorization": factories.APIToken(user=editor["name"])["token"]}
    page = app.get("/demand/new", headers=headers).body
    groups = _picker(page, "field-provider_org")
    assert [label for label, _ in groups] == [
        "市委工作部门及有关单位",
        "人大机关、政协机关、法院、检察院",
    ]
    assert sum(len(titles) for _, titles in groups) == 30
    assert groups[0][1] == [f"单位{i:02d}" for i in range(1, 30, 2)]  # by 单位编码
    assert 'id="field-provider_org-filter"' in page

    queue = app.get("/review", headers=headers).body
    assert sum(len(titles) for _, titles in _picker(queue, "review-unit")) == 30
