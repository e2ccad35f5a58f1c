"""The allow-list of an outsider's search (``visibility.query``), without Solr."""

from __future__ import annotations

import pytest
from ckan.lib.search.common import SearchQueryError

from ckanext.yiyang.visibility import query


@pytest.mark.parametrize(
    "text,names",
    [
        ("*:*", []),
        ("x AND *:*", []),
        ("安全 矩阵", []),
        ("title:abc", ["title"]),
        ("+state:(draft OR active) +capacity:public", ["state", "capacity"]),
        ("metadata_modified:[2020-01-01T00:00:00Z TO NOW]", ["metadata_modified"]),
        ('tags:"a:b"', ["tags"]),
        ("title:a\\:b", ["title"]),
        ("yiyang\\_gov_items:X", ["yiyang_gov_items"]),
        ("yi\\u0079ang_gov_items:x", ["yiyang_gov_items"]),
        ("yiyang_gov_items :x", ["yiyang_gov_items"]),
        ("(yiyang_gov_items:x)", ["yiyang_gov_items"]),
        ("-yiyang_gov_items:x", ["yiyang_gov_items"]),
        ("yiyang_gov*:x", ["yiyang_gov*"]),
        ("*:x", ["*"]),
        ('a\\" yiyang_gov_items:x \\"', ["yiyang_gov_items"]),
        ('title:["a]" TO b] yiyang_gov_items:x', ["title", "yiyang_gov_items"]),
    ],
)
def test_named_fields(text, names):
    assert query.named_fields(text) == names


@pytest.mark.parametrize("text", ['title:"open', "title:[a TO b", 'x:["a TO b]'])
def test_unbalanced_values_are_refused(text):
    with pytest.raises(SearchQueryError):
        query.check({"q": text})


@pytest.mark.parametrize(
    "params",
    [
        {"q": "yiyang_gov_items:x"},
        {"fq": "YIYANG_GOV_items:x"},
        {"fq_list": ["yiyang\\_gov_items:x"]},
        {"q": "{!lucene}x"},
        {"q": '_query_:"x"'},
        {"q": "_val_:1"},
        {"qf": "title"},
        {"defType": "edismax"},
        {"bf": "1"},
        {"boost": "1"},
        {"pf": "title"},
        {"facet.query": "x"},
        {"facet.field": ["yiyang_gov_items"]},
        {"facet.field": ["text"]},
        {"fl": ["id", "termfreq(yiyang_gov_items,'x')"]},
        {"fl": "*"},
        {"sort": "termfreq(yiyang_gov_items,'x') desc"},
        {"sort": "yiyang_gov_items asc"},
        {"sort": "title_string"},
        {"df": "yiyang_gov_items"},
        {"mm": "1<{!x}"},
    ],
)
def test_refused(params):
    with pytest.raises(SearchQueryError):
        query.check(params)


@pytest.mark.parametrize(
    "params",
    [
        {"q": "*:*", "fq": '+dataset_type:dataset +owner_org:"abc"', "df": "text"},
        {"q": "安全", "rows": 10, "start": 0, "include_private": True, "extras": {}},
        {"q": "title:x", "sort": "score desc, metadata_modified desc, name asc"},
        {"facet.field": ["tags", "res_format", "yiyang_ss_catalog"], "facet.limit": -1},
        {"fl": ["id", "name", "validated_data_dict"], "use_default_schema": True},
        {"q": "extras_share_condition:x res_format:csv yiyang_txt_items:y", "mm": "30%"},
    ],
)
def test_allowed(params):
    query.check(params)
