"""Search on everything a user searches by, weights, facets with labels, and sorting."""

from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def sysadmin_token():
    from ckan.tests import factories

    return factories.APIToken(user=factories.Sysadmin()["name"])["token"]


def titles(**params) -> list[str]:
    """Titles found by a search that sees every entry (the search mechanics, not who sees)."""
    params.setdefault("include_private", True)
    return [d["title"] for d in call_action("package_search", **params)["results"]]


@pytest.fixture
def catalog(make_unit, entry_factory):
    land = make_unit(title="市国土资源局", unit_group="02", unit_code="011")
    party = make_unit(title="市委组织部", unit_group="01", unit_code="003")
    entries = {
        "land": entry_factory(
            land["id"],
            published=True,
            title="土地使用权登记信息",
            catalog_category="302011",
            subject_category="03",
            tag_string="不动产,土地",
            notes="全市国有建设用地使用权的登记簿。",
            share_type="unconditional",
            share_condition="",
            format_class="database",
            update_cycle="monthly",
            disclosure_scope="public",
            data_items=[
                {
                    "name": "宗地编号",
                    "description": "不动产单元的宗地代码",
                    "data_type": "string",
                    "length": 19,
                }
            ],
        ),
        "cadre": entry_factory(
            party["id"],
            published=True,
            title="干部任免信息",
            catalog_category="301003",
            subject_category="17",
            tag_string="干部",
            notes="市管干部的任免记录。",
            format_class="spreadsheet",
            update_cycle="irregular",
            disclosure_scope="internal",
            management_mode="manual",
            data_items=[
                {"name": "任免时间", "description": "登记簿中记录的日期", "data_type": "datetime"}
            ],
        ),
        "register": entry_factory(
            land["id"],
            published=True,
            title="不动产登记簿",
            catalog_category="103",
            subject_category="03",
            tag_string="登记",
            notes="不动产统一登记的登记簿。",
            format_class="electronic_document",
            data_items=[],
            update_cycle="daily",
            disclosure_scope="partial",
        ),
    }
    return entries


class TestWhatIsSearched:
    def test_item_name(self, catalog):
        assert titles(q="宗地编号") == ["土地使用权登记信息"]

    def test_item_description(self, catalog):
        assert titles(q="宗地代码") == ["土地使用权登记信息"]

    def test_unit_name(self, catalog):
        assert set(titles(q="国土资源")) == {"土地使用权登记信息", "不动产登记簿"}

    def test_keyword_substring(self, catalog):
        assert "土地使用权登记信息" in titles(q="不动产")

    def test_resource_code(self, catalog):
        code = catalog["cadre"]["resource_code"]
        assert titles(q=code) == ["干部任免信息"]
        assert titles(fq=f'resource_code:"{code}"') == ["干部任免信息"]

    def test_summary(self, catalog):
        assert titles(q="建设用地") == ["土地使用权登记信息"]

    def test_title_hit_ranks_above_an_item_description_hit(self, catalog):
        # 登记簿 is the title of one entry, in the notes of another, in an item of a third.
        assert titles(q="登记簿")[0] == "不动产登记簿"
        assert titles(q="登记簿")[-1] == "干部任免信息"


class TestFacets:
    def facets(self, **params):
        result = call_action("package_search", include_private=True, **params)
        return {
            field: {i["name"]: (i["display_name"], i["count"]) for i in facet["items"]}
            for field, facet in result["search_facets"].items()
        }

    def test_every_facet_with_its_chinese_label(self, catalog):
        fields = [
            "yiyang_ss_catalog",
            "subject_category",
            "organization",
            "yiyang_unit_group",
            "share_type",
            "disclosure_scope",
            "update_cycle",
            "format_class",
            "management_mode",
        ]
        facets = self.facets(**{"facet.field": fields})
        assert facets["yiyang_ss_catalog"]["3"] == ("3 部门信息资源", 2)
        assert facets["yiyang_ss_catalog"]["302011"] == ("302011 市国土资源局", 1)
        assert facets["yiyang_ss_catalog"]["103"] == ("103 自然资源和空间地理", 1)
        assert facets["subject_category"]["03"] == ("国土资源、能源", 2)
        assert {v[0] for v in facets["organization"].values()} == {"市国土资源局", "市委组织部"}
        assert facets["yiyang_unit_group"]["02"] == ("市政府工作部门及有关单位", 2)
        assert facets["yiyang_unit_group"]["01"] == ("市委工作部门及有关单位", 1)
        assert facets["share_type"]["unconditional"] == ("无条件共享", 1)
        assert facets["share_type"]["conditional"] == ("有条件共享", 2)
        assert facets["disclosure_scope"]["partial"] == ("部分公开", 1)
        assert facets["update_cycle"]["irregular"] == ("不定期", 1)
        assert facets["format_class"]["electronic_document"] == ("电子文件", 1)
        assert facets["management_mode"]["manual"] == ("人工（纸质表格）", 1)

    @pytest.mark.parametrize(
        "param,value,expected",
        [
            ("yiyang_ss_catalog", "3", {"土地使用权登记信息", "干部任免信息"}),
            ("yiyang_ss_catalog", "301", {"干部任免信息"}),
            ("subject_category", "17", {"干部任免信息"}),
            ("yiyang_unit_group", "02", {"土地使用权登记信息", "不动产登记簿"}),
            ("share_type", "unconditional", {"土地使用权登记信息"}),
            ("disclosure_scope", "internal", {"干部任免信息"}),
            ("update_cycle", "daily", {"不动产登记簿"}),
            ("format_class", "database", {"土地使用权登记信息"}),
            ("management_mode", "manual", {"干部任免信息"}),
        ],
    )
    def test_filter_by_facet(self, catalog, param, value, expected):
        assert set(titles(fq=f'{param}:"{value}"')) == expected

    def test_search_page_shows_labels_not_codes(self, app, catalog, sysadmin_token):
        body = app.get("/dataset/", headers={"Authorization": sysadmin_token}).body
        for label in (
            "资源属性分类",
            "部门信息资源",
            "市政府工作部门及有关单位",
            "有条件共享",
            "部分公开",
            "不定期",
            "电子文件",
            "人工（纸质表格）",
            "国土资源、能源",
        ):
            assert label in body, label

    def test_facet_filter_through_the_page(self, app, catalog, sysadmin_token):
        body = app.get(
            "/dataset/",
            query_string={"share_type": "unconditional"},
            headers={"Authorization": sysadmin_token},
        ).body
        assert "土地使用权登记信息" in body
        assert "干部任免信息" not in body


class TestSorting:
    def test_by_name(self, catalog):
        assert titles(sort="title_string asc") == sorted(titles(sort="title_string asc"))

    def test_by_last_change(self, catalog):
        assert titles(sort="metadata_modified desc")[0] == "不动产登记簿"

    def test_sort_options_on_the_page(self, app, catalog):
        body = app.get("/dataset/").body
        for option in (
            "score desc, metadata_modified desc",
            "title_string asc",
            "release_date desc",
            "metadata_modified desc",
        ):
            assert f'value="{option}"' in body, option
