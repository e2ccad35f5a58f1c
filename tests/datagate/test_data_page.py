"""The entry page shows the data to those who may read it (issue 13 point 7): the preview,
the columns with their descriptions, the API call in curl and ckanapi with only the readable
columns and a token placeholder — in Chinese, in English under /en; nothing to the others."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("with_plugins")


def _page(app, world, viewer, share="conditional", lang=""):
    headers = {} if viewer == "anonymous" else {"Authorization": world["tokens"][viewer]}
    entry = world["entries"][share]
    return app.get(f"{lang}/dataset/{entry['name']}", headers=headers).get_data(as_text=True)


def _section(page: str) -> str:
    """The data section of an entry page (the 信息项 are listed in its metadata too)."""
    start = page.index('<section class="yiyang-data"')
    return page[start : page.index("</section>", start)]


def test_a_limited_reader_sees_its_columns_and_the_call_to_read_them(make_app, data_world):
    page = _section(_page(make_app(), data_world, "limited"))
    rid = data_world["resources"]["conditional"]["id"]
    assert "调用方式" in page and "数据预览" in page
    assert f"/resource/{rid}/view/{data_world['views']['conditional']['id']}" in page
    assert "企业名称的说明" in page and "注册资本的说明" in page
    assert "法定代表人的说明" not in page and "统一社会信用代码的说明" not in page
    assert "curl -X POST" in page and "ckanapi action datastore_search" in page
    assert rid in page and "您的API令牌" in page
    assert "[&#34;企业名称&#34;, &#34;注册资本&#34;]" in page


def test_the_owner_sees_every_column_and_in_english_under_en(make_app, data_world):
    app = make_app()
    page = _section(_page(app, data_world, "owner"))
    for column in ("企业名称", "统一社会信用代码", "注册资本", "法定代表人"):
        assert f"{column}的说明" in page
    english = _page(app, data_world, "owner", lang="/en")
    assert "How to call it" in english and "YOUR-API-TOKEN" in english


@pytest.mark.parametrize("viewer", ["anonymous", "other", "revoked", "expired"])
def test_those_who_may_not_read_it_see_no_data_section(make_app, data_world, viewer):
    page = _page(make_app(), data_world, viewer)
    assert 'class="yiyang-data"' not in page and "调用方式" not in page and "mkcond" not in page
