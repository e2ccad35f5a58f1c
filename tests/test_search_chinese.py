"""Chinese full-text search through CKAN and our Solr configset (issue: foundation).

Solr indexes overlapping character pairs of Chinese text, so any substring of two or more
characters of a title finds it; English words are still stemmed.
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest

TITLE = "益阳市企业注册登记信息"


def _search(q: str, **params) -> list[str]:
    result = tk.get_action("package_search")({"ignore_auth": True}, {"q": q, **params})
    return [d["title"] for d in result["results"]]


@pytest.fixture
def entries(clean_db, clean_index, make_unit, entry_factory):
    org = make_unit(title="市工商局")

    def make(title: str, notes: str = ""):
        return entry_factory(
            org["id"],
            published=True,
            title=title,
            notes=notes or title,
            tag_string="目录",
            format_class="electronic_document",
            data_items=[],
        )

    return {
        "target": make(TITLE),
        "other": make("益阳市人口统计年鉴", "全市常住人口的统计数据"),
        "scattered": make("统计局人员名单", "人口普查办公室的工作人员"),
        "english": make("Monthly statistics of registered enterprises"),
        "mixed": make("益阳市2020年企业年报（汇总）-第一季度"),
    }


@pytest.mark.usefixtures("with_plugins")
class TestChineseSearch:
    @pytest.mark.parametrize("q", ["企业", "注册登记", "市企", "登记信息", TITLE])
    def test_substring_finds_the_title(self, entries, q):
        assert TITLE in _search(q)

    @pytest.mark.parametrize(
        "q", ["益阳市2020年企业年报（汇总）-第一季度", "2020年企业", "年报（汇总）", "汇总-第一"]
    )
    def test_titles_mixing_han_digits_and_punctuation(self, entries, q):
        assert "益阳市2020年企业年报（汇总）-第一季度" in _search(q)

    def test_one_character(self, entries):
        assert TITLE in _search("益")

    def test_unrelated_word_does_not_match(self, entries):
        assert TITLE not in _search("人口")
        assert _search("交通事故") == []

    def test_english_is_stemmed(self, entries):
        assert "Monthly statistics of registered enterprises" in _search("enterprise")
        assert "Monthly statistics of registered enterprises" in _search("registering")

    def test_exact_phrase_ranks_above_scattered_characters(self, entries):
        titles = _search("人口统计")
        assert titles[0] == "益阳市人口统计年鉴"
        assert "统计局人员名单" not in titles[:1]

    def test_search_in_notes(self, entries):
        assert "益阳市人口统计年鉴" in _search("常住人口")
