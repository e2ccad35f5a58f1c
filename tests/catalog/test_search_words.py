"""Search that finds words (issue 16.2): the configset's word-segmented field ``yiyang_words``
(ICU's word breaker) beside the character pairs, its query-time government synonyms
(synonyms_gov.txt), and the split by visibility (hidden 信息项 only in ``yiyang_gov_words``).

Against the real Solr core of the test configuration (the configset of this checkout)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import pytest
import requests

from ckanext.yiyang.catalog.search import dismax_text
from ckanext.yiyang.visibility.viewer import GOVERNMENT_READER, viewing_as

CARE_HOMES = "益阳市养老服务机构名录"
ALLOWANCE = "城乡最低生活保障对象名册"
STAFFING = "益阳市机构编制统计"
HIDDEN_ITEM = "困难群众救助金额明细"


def _auth() -> tuple[str, str] | None:
    user, password = tk.config.get("solr_user"), tk.config.get("solr_password")
    return (user, password) if user and password else None


def _tokens(field_type: str, text: str, side: str = "index") -> list[str]:
    """The tokens the core's ``field_type`` makes of ``text`` at the end of its chain."""
    answer = requests.get(
        f"{tk.config['solr_url']}/analysis/field",
        params={
            "analysis.fieldtype": field_type,
            "analysis.fieldvalue": text,
            "analysis.query": text,
            "wt": "json",
        },
        auth=_auth(),
        timeout=10,
    )
    answer.raise_for_status()
    stages = answer.json()["analysis"]["field_types"][field_type][side]
    return [t["text"] for t in stages[-1]]


def _search(q: str, viewer: str | None = None) -> list[str]:
    with viewing_as(viewer):
        result = tk.get_action("package_search")(
            {"ignore_auth": True}, {"q": q, "include_private": True}
        )
    return [d["title"] for d in result["results"]]


@pytest.mark.usefixtures("with_plugins")
class TestWordField:
    def test_generic_words_leave_queries_only(self):
        assert "信息" in _tokens("text_zh_words", "婚姻登记机构信息")
        assert _tokens("text_zh_words", "婚姻登记机构信息", "query") == ["婚姻", "登记", "机构"]

    def test_cuts_chinese_into_words(self):
        assert _tokens("text_zh_words", "益阳市养老服务机构")[-3:] == ["养老", "服务", "机构"]
        # every word of the short name is a word of the long one
        assert set(_tokens("text_zh_words", "高新企业", "query")) <= set(
            _tokens("text_zh_words", "高新技术企业")
        )
        assert _tokens("text_zh_words", "企业注册信息") == ["企业", "注册", "信息"]
        # a query drops the generic 信息 (stopwords_zh_query.txt)
        assert _tokens("text_zh_words", "企业注册信息", "query") == ["企业", "注册"]

    def test_drops_punctuation(self):
        assert _tokens("text_zh_words", "企业（个体）名录、地址") == [
            "企业",
            "个体",
            "名录",
            "地址",
        ]

    def test_synonyms_at_query_time_only(self):
        assert set(_tokens("text_zh_words", "低保", "query")) >= {
            "低",
            "保",
            "最低",
            "生活",
            "保障",
        }
        assert _tokens("text_zh_words", "低保", "index") == ["低", "保"]


@pytest.mark.parametrize(
    "q,plain",
    [
        ("上海市**年政府性基金支出预算表", "上海市\\*\\*年政府性基金支出预算表"),
        ("养老(机构) [2020]", "养老\\(机构\\) \\[2020\\]"),
        ('"养老机构" -北京 +服务', '"养老机构" -北京 +服务'),
        ('a "b', "a b"),
        ("低保 AND 农村 OR x", "低保 and 农村 or x"),
    ],
)
def test_query_text_is_plain_for_edismax(q, plain):
    """edismax reads what CKAN's dismax took literally (wildcards, brackets, operators)."""
    assert dismax_text(q) == plain


@pytest.fixture
def entries(clean_db, clean_index, make_unit, entry_factory) -> dict[str, Any]:
    org = make_unit(title="益阳市民政局")

    def make(title: str, notes: str, **overrides: Any) -> Any:
        return entry_factory(
            org["id"],
            published=True,
            title=title,
            notes=notes,
            tag_string="民政",
            share_type="unconditional",
            share_condition="",
            **overrides,
        )

    return {
        "care": make(CARE_HOMES, "全市养老服务机构的名称、地址和床位数"),
        "allowance": make(ALLOWANCE, "城乡居民最低生活保障对象的姓名和保障金额"),
        "staffing": make(STAFFING, "全市机关事业单位的机构编制情况"),
        "hidden": make(
            "益阳市社会救助台账",
            "社会救助工作台账",
            data_items=[
                {
                    "name": "救助对象姓名",
                    "description": "",
                    "data_type": "string",
                    "length": 50,
                    "disclosure_scope": "public",
                },
                {
                    "name": HIDDEN_ITEM,
                    "description": "",
                    "data_type": "numeric",
                    "disclosure_scope": "internal",
                },
            ],
        ),
    }


@pytest.mark.usefixtures("with_plugins")
class TestSearchFindsWords:
    def test_a_word_whose_parts_stand_apart(self, entries):
        titles = _search("养老机构")
        assert titles and titles[0] == CARE_HOMES
        assert CARE_HOMES in _search("机构养老")

    @pytest.mark.ckan_config("ckanext.yiyang.search.words", "false")
    def test_character_pairs_alone_miss_it(self, entries):
        assert CARE_HOMES not in _search("养老机构")

    @pytest.mark.ckan_config("ckanext.yiyang.search.word_match", "all")
    def test_every_word_of_a_query_word_must_match(self, entries):
        # CKAN sends q.op=AND: edismax needs all the words one query word is cut into (养老|编制:
        # 养老 is in one entry, 编制 in another, neither has both), in any order
        assert _search("养老编制") == []
        assert _search("服务机构养老")[:1] == [CARE_HOMES]
        assert _search("服务机构名册") == []  # the care homes' list has no 名册

    def test_exact_title_ranks_first(self, entries):
        assert _search(STAFFING)[0] == STAFFING
        assert _search("机构编制")[0] == STAFFING

    def test_synonym(self, entries):
        assert _search("低保")[:1] == [ALLOWANCE]
        assert _search("敬老院")[:1] == [CARE_HOMES]

    def test_hidden_items_words_only_for_government(self, entries):
        query = "救助明细"  # 救助|明细 of the hidden 信息项, not contiguous in it
        assert _search("益阳市社会救助台账") == ["益阳市社会救助台账"]
        assert _search(query) == []
        assert _search(query, GOVERNMENT_READER) == ["益阳市社会救助台账"]
        # the public 信息项 is searched by words for everyone
        assert _search("救助姓名") == ["益阳市社会救助台账"]

    def test_outsiders_may_not_name_the_hidden_word_field(self, entries):
        from ckan.lib.search.common import SearchQueryError

        with pytest.raises(SearchQueryError, match="yiyang_gov_words"), viewing_as(None):
            tk.get_action("package_search")({}, {"q": "yiyang_gov_words:救助"})

    def test_most_words_finds_an_entry_that_lacks_one(self, entries):
        # the default, ckanext.yiyang.search.word_match = most
        # 服务|机构|名册: the care homes' list is a 名录, the allowance's register has 名册 alone
        assert _search("服务机构名册") == [CARE_HOMES]
        # 养老机构 is one word of the synonyms (养老院, 敬老院): of two words, both are needed
        assert _search("养老机构名册") == []
        # of two words both are still needed; the exact title still ranks first
        assert _search("养老编制") == []
        assert _search(STAFFING)[0] == STAFFING
        assert _search("低保")[:1] == [ALLOWANCE]
        # braces are no part of a title's words (CKAN reads local parameters up to the last)
        assert _search("养老{机构}")[:1] == [CARE_HOMES]

    def test_generic_words_count_in_the_pairs_only(self, entries):
        # 名录 is dropped from a query's words (stopwords_zh_query.txt), not from the index: of
        # 服务|机构 both are needed (no entry has 服务 without 机构 here), and the pairs still
        # find a query of the generic word alone
        assert _search("服务机构名录") == [CARE_HOMES]
        assert _search("名录") == [CARE_HOMES]

    @pytest.mark.parametrize("viewer", [None, GOVERNMENT_READER])
    def test_nobody_sends_local_parameters(self, entries, viewer):
        # edismax is an allowed parser for word_match = most: for the catalog's own use only
        from ckan.lib.search.common import SearchQueryError

        for data in (
            {"q": "{!edismax qf=yiyang_gov_words}救助明细"},
            {"q": "*:*", "fq": "{!edismax qf=yiyang_gov_words}救助明细"},
        ):
            with pytest.raises(SearchQueryError), viewing_as(viewer):
                tk.get_action("package_search")({"ignore_auth": True}, data)

    def test_a_title_with_stars(self, entries, entry_factory):
        entry_factory(published=True, title="上海市**年政府性基金支出预算表")
        assert _search("上海市**年政府性基金支出预算表")[:1] == ["上海市**年政府性基金支出预算表"]


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_words_standing_close_rank_above_words_far_apart(entry_factory):
    # the configset's phrase boost on the title's words (pf yiyang_title_words, ps=1): 高新企业
    # (高|新|企业) has one word between its words in 高新技术企业, three in 高新区智能装备企业
    # (the nearer title is the longer one: without the boost, the shorter title ranked first)
    for title in ("高新区智能装备企业", "高新技术企业认定名单汇总表"):
        entry_factory(published=True, title=title, notes="企业信息公示")
    assert _search("高新企业")[:1] == ["高新技术企业认定名单汇总表"]
