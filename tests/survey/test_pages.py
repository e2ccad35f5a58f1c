"""The survey page, the template downloads and the navigation, per role and in both languages."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from ckanext.yiyang.survey import workbooks

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

SHEETS = {
    "entries": ["填表说明", "信息资源", "信息项", "代码表"],
    "demands": ["填表说明", "数据需求调研表", "代码表"],
    "contacts": ["填表说明", "分管负责人及联络人名单", "代码表"],
}


@pytest.mark.parametrize(
    "role",
    ["anonymous", "registered", "outsider", "member", "editor", "admin", "reviewer", "sysadmin"],
)
def test_page_per_role(app, people, xlsx, role):
    response = app.get("/survey", headers=xlsx.headers(people, role))
    assert response.status_code == 200
    body = response.body
    for kind in workbooks.KINDS:
        assert f"/survey/template/{kind}.xlsx" in body
    assert "附件3 数据提供调查表" in body and "附件2 数据需求调研表" in body
    assert "附件4 分管负责人及联络人名单" in body
    own_unit = role in ("member", "editor", "admin")
    # prefilled with the user's own unit only (a sysadmin is not a member of every unit)
    assert (f"unit={people['unit']['name']}" in body) is own_unit
    assert (f"unit={people['other']['name']}" in body) is (role == "outsider")
    # the import page is offered to logged-in users, and the page is in their navigation
    assert ("/survey/import" in body) is (role != "anonymous")
    search_page = app.get("/dataset", headers=xlsx.headers(people, role)).body
    assert ('href="/survey"' in search_page) is (role != "anonymous")
    if role != "anonymous":  # beside the review queue, not instead of it
        assert 'href="/review"' in search_page


@pytest.mark.parametrize("kind", workbooks.KINDS)
def test_template_download(app, people, xlsx, kind):
    response = app.get(f"/survey/template/{kind}.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="yiyang-template-{kind}.xlsx"' in disposition
    name = unquote(disposition.split("filename*=UTF-8''")[1])
    assert name.startswith("附件") and name.endswith(".xlsx")
    book = xlsx.load(response.data)
    assert book.sheetnames == SHEETS[kind]
    data_sheet = book[SHEETS[kind][1]]
    assert data_sheet.cell(workbooks.UNIT_ROW, 2).value is None


@pytest.mark.parametrize("kind", workbooks.KINDS)
def test_template_prefilled_with_the_unit(app, people, xlsx, kind):
    unit = people["unit"]
    response = app.get(
        f"/survey/template/{kind}.xlsx",
        query_string={"unit": unit["name"]},
        headers=xlsx.headers(people, "editor"),
    )
    assert response.status_code == 200
    name = unquote(response.headers["Content-Disposition"].split("filename*=UTF-8''")[1])
    assert name.endswith("（市国土资源局）.xlsx")
    book = xlsx.load(response.data)
    for sheet in SHEETS[kind][1:-1]:
        assert book[sheet].cell(workbooks.UNIT_ROW, 2).value == "市国土资源局"


def test_unknown_template_and_unit(app, people):
    assert app.get("/survey/template/books.xlsx").status_code == 404
    assert app.get("/survey/template/entries.xlsx?unit=no-such-unit").status_code == 404


def test_several_units_can_be_chosen(app, people, make_unit, xlsx):
    user = people["users"]["editor"]
    second = make_unit(title="市水务局", users=[{"name": user["name"], "capacity": "editor"}])
    headers = xlsx.headers(people, "editor")
    body = app.get("/survey", headers=headers).body
    assert f"/survey?unit={second['name']}" in body
    body = app.get(f"/survey?unit={second['name']}", headers=headers).body
    assert f"/survey/template/entries.xlsx?unit={second['name']}" in body


def test_english(app, people, xlsx):
    body = app.get("/en/survey", headers=xlsx.headers(people, "member")).body
    assert "Survey forms" in body
    assert "Annex 3: data provision survey" in body
    assert "/en/survey/template/entries.xlsx" in body
    chinese = app.get("/survey", headers=xlsx.headers(people, "member")).body
    assert "Annex 3: data provision survey" not in chinese
    assert "调查表" in chinese
