"""Exports of a search result and of a unit's catalog as the 附件3 workbook: per role, what the
user sees and nothing more; formula-like texts stay text; the cap."""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import unquote
from xml.etree import ElementTree

import ckan.plugins.toolkit as tk
import pytest

from ckanext.yiyang.survey import workbooks

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

ROLES = (
    "anonymous",
    "registered",
    "outsider",
    "member",
    "editor",
    "admin",
    "reviewer",
    "sysadmin",
)
PUBLIC = {"部分公开的登记信息", "公式样的文字"}
GOVERNMENT = PUBLIC | {"对内公开的统计信息"}
EVERYTHING = GOVERNMENT | {"草稿中的信息资源"}
OTHER = "其他单位的信息"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def expected_titles(role: str) -> set[str]:
    """Unit 市国土资源局's entries each role may see (catalog-model §6)."""
    if role in ("anonymous", "registered"):
        return PUBLIC
    if role == "outsider":
        return GOVERNMENT
    return EVERYTHING


def _export(app, url, people, xlsx, role, **params):
    response = app.get(url, headers=xlsx.headers(people, role), query_string=params)
    assert response.status_code == 200, response.body[:500]
    return response, xlsx.load(response.data)


def _seen_by_api(app, people, xlsx, role, fq):
    """What package_search shows the user through the API: title → item names."""
    response = app.post(
        "/api/3/action/package_search",
        json={"fq": fq, "rows": 100, "include_private": True, "include_drafts": True},
        headers=xlsx.headers(people, role),
    )
    return {
        e["title"]: [i["name"] for i in e.get("data_items") or []]
        for e in response.json["result"]["results"]
    }


def _exported(book, xlsx):
    """title → item names, from the workbook (items found through 行号)."""
    entries = xlsx.rows(book, "信息资源")
    items = xlsx.rows(book, "信息项")
    return {e["title"]: [i["name"] for i in items if i["row"] == e["row"]] for e in entries}


@pytest.mark.parametrize("role", ROLES)
def test_unit_catalog_per_role(app, people, catalog, xlsx, role):
    unit = people["unit"]
    response, book = _export(app, f"/organization/{unit['name']}/export.xlsx", people, xlsx, role)
    assert book.sheetnames == ["填表说明", "信息资源", "信息项", "代码表"]
    assert book["代码表"].sheet_state == "hidden"
    assert book["信息资源"].row_dimensions[workbooks.KEY_ROW].hidden
    assert book["信息资源"].cell(workbooks.UNIT_ROW, 2).value == "市国土资源局"
    exported = _exported(book, xlsx)
    assert set(exported) == expected_titles(role)
    assert exported == _seen_by_api(app, people, xlsx, role, f"owner_org:{unit['id']}")
    government = role != "anonymous" and role != "registered"
    assert exported["部分公开的登记信息"] == (
        ["公开字段", "内部字段"] if government else ["公开字段"]
    )
    disposition = response.headers["Content-Disposition"]
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "市国土资源局信息资源目录.xlsx"
    assert f'filename="yiyang-catalog-{unit["name"]}.xlsx"' in disposition


@pytest.mark.parametrize("role", ROLES)
def test_search_result_per_role(app, people, catalog, xlsx, role):
    _response, book = _export(app, "/dataset/export.xlsx", people, xlsx, role)
    exported = _exported(book, xlsx)
    assert set(exported) == expected_titles(role) | {OTHER}
    assert exported == _seen_by_api(app, people, xlsx, role, "dataset_type:dataset")
    assert book["信息资源"].cell(workbooks.UNIT_ROW, 2).value is None
    owners = {e["title"]: e["owner_org"] for e in xlsx.rows(book, "信息资源")}
    assert owners[OTHER] == "市统计局" and owners["公式样的文字"] == "市国土资源局"


def test_search_arguments_are_the_search_pages(app, people, catalog, xlsx):
    _r, book = _export(app, "/dataset/export.xlsx", people, xlsx, "sysadmin", q="对内公开")
    assert set(_exported(book, xlsx)) == {"对内公开的统计信息"}
    _r, book = _export(
        app,
        "/dataset/export.xlsx",
        people,
        xlsx,
        "sysadmin",
        disclosure_scope="public",
        page="3",
    )
    assert set(_exported(book, xlsx)) == {"公式样的文字", "草稿中的信息资源", OTHER}
    page = app.get("/dataset/", query_string={"disclosure_scope": "public", "page": "1"}).body
    assert 'href="/dataset/export.xlsx?disclosure_scope=public"' in page
    unit_page = app.get(f"/organization/{people['unit']['name']}").body
    assert f'href="/organization/{people["unit"]["name"]}/export.xlsx"' in unit_page


def test_row_contents(app, people, catalog, xlsx):
    _r, book = _export(
        app, f"/organization/{people['unit']['name']}/export.xlsx", people, xlsx, "editor"
    )
    rows = {e["title"]: e for e in xlsx.rows(book, "信息资源")}
    entry = tk.get_action("package_show")(
        {"user": people["users"]["editor"]["name"]}, {"id": catalog["partial"]["id"]}
    )
    row = rows["部分公开的登记信息"]
    assert row["owner_org"] == "市国土资源局"
    assert row["resource_code"] == entry["resource_code"]
    assert row["catalog_category"] == "102 法人单位"
    assert row["subject_category"].startswith("02 ")
    assert row["tag_string"] == "企业,注册登记"
    assert row["format_class"] == "数据库"
    assert row["share_type"] == "有条件共享"
    assert row["share_method"] == "共享平台·接口"
    assert row["open_to_public"] == "否"
    assert row["update_cycle"] == "每日"
    assert row["disclosure_scope"] == "部分公开"
    assert row["management_mode"] == "计算机（电子表格）"
    assert row["notes"] == entry["notes"]
    items = [i for i in xlsx.rows(book, "信息项") if i["row"] == row["row"]]
    assert items == [
        {
            "row": row["row"],
            "name": "公开字段",
            "description": None,
            "data_type": "字符型",
            "length": 50,
            "unit": None,
            "disclosure_scope": "对外公开",
        },
        {
            "row": row["row"],
            "name": "内部字段",
            "description": None,
            "data_type": "数值型",
            "length": None,
            "unit": "万元",
            "disclosure_scope": "对内公开",
        },
    ]
    assert sorted(r["row"] for r in rows.values()) == list(range(1, len(rows) + 1))


def test_formula_like_texts_stay_text(app, people, catalog, xlsx):
    response, book = _export(
        app, f"/organization/{people['unit']['name']}/export.xlsx", people, xlsx, "anonymous"
    )
    row = next(e for e in xlsx.rows(book, "信息资源") if e["title"] == "公式样的文字")
    assert row["notes"] == "=1+2 看似公式的摘要"
    assert row["provider_department"] == "+86 办公室"
    assert row["format_type"] == "-xls"
    assert row["share_condition"] == "@SUM(A1) 仅用于核验"
    item = next(i for i in xlsx.rows(book, "信息项") if i["row"] == row["row"])
    assert item["name"] == "=cmd|' /C calc'!A0"
    assert item["description"] == "-2+3"
    # no formula anywhere: every such text is an inline string with Excel's quote prefix
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        trees = [ElementTree.fromstring(archive.read(n)) for n in sheets]
        styles = archive.read("xl/styles.xml").decode()
    assert not [f for tree in trees for f in tree.iter(f"{MAIN}f")]
    inline = {
        "".join(c.itertext())
        for tree in trees
        for c in tree.iter(f"{MAIN}c")
        if c.get("t") == "inlineStr"
    }
    assert {"=1+2 看似公式的摘要", "@SUM(A1) 仅用于核验", "=cmd|' /C calc'!A0"} <= inline
    assert 'quotePrefix="1"' in styles
    cell = next(
        c
        for c in book["信息资源"][row["row"] + workbooks.EXAMPLE_ROW]
        if c.value == "=1+2 看似公式的摘要"
    )
    assert cell.data_type == "s" and cell.quotePrefix


@pytest.mark.ckan_config("ckanext.yiyang.survey.export_max_entries", "2")
def test_cap(app, people, catalog, xlsx):
    response = app.get(
        "/dataset/export.xlsx",
        query_string={"q": "信息"},
        headers=xlsx.headers(people, "sysadmin"),
        follow_redirects=False,
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dataset/?q=%E4%BF%A1%E6%81%AF")
    page = app.get(
        "/dataset/export.xlsx",
        query_string={"q": "信息"},
        headers=xlsx.headers(people, "sysadmin"),
    ).body
    assert re.search(r"\d+ 条|\d+ entries", page)
    # within the cap: written
    _r, book = _export(app, "/dataset/export.xlsx", people, xlsx, "sysadmin", q="对内公开")
    assert len(xlsx.rows(book, "信息资源")) == 1


def test_unknown_unit(app, people):
    assert app.get("/organization/no-such-unit/export.xlsx").status_code == 404


def test_english_export_is_the_same_chinese_form(app, people, catalog, xlsx):
    _r, book = _export(app, "/en/dataset/export.xlsx", people, xlsx, "anonymous")
    row = next(e for e in xlsx.rows(book, "信息资源") if e["title"] == "部分公开的登记信息")
    assert row["share_type"] == "有条件共享"
