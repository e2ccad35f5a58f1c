"""A book laid out in several parts reads as one: pages numbered on, running heads carried
over, contents and bookmarks pointing at the right pages."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pikepdf
import pytest

from ckanext.yiyang.book.generate import generate
from tests.book.conftest import pdf_pages

pytestmark = pytest.mark.usefixtures("with_plugins")


def test_parts_join_into_one_book(
    clean_db, clean_index, make_unit, entry_factory, tmp_path, monkeypatch
):
    monkeypatch.setitem(tk.config, "ckanext.yiyang.book.chunk_weight", 50)
    unit = make_unit(title="丁测试局")
    other = make_unit(title="戊测试局")
    for number in range(12):
        entry_factory(
            owner_org=unit["id"],
            published=True,
            title=f"分段资源{number:02d}号",
            disclosure_scope="public",
            catalog_category="102",
        )
    entry_factory(
        owner_org=other["id"],
        published=True,
        title="最后资源",
        disclosure_scope="public",
        catalog_category="205",
    )
    out = tmp_path / "book.pdf"
    meta = generate("public", "pdf", out)
    assert meta["entries"] == 13

    pages = pdf_pages(out)
    body = pages[2:]
    for number, page in enumerate(body, start=1):
        assert f"—{number}—" in page
    # Every page of the unit's entries, in whichever part, carries its running head.
    for page in body:
        if "分段资源" in page:
            assert "102法人单位" in page and "丁测试局" in page
    text = "".join(body)
    positions = [text.index(f"分段资源{n:02d}号") for n in range(12)]
    assert positions == sorted(positions)

    with pikepdf.open(out) as pdf:
        index = {page.objgen: n for n, page in enumerate(pdf.pages)}
        # The last heading's line in the contents links to the page it starts on.
        links = [a for page in pdf.pages[:2] for a in page.obj.get("/Annots", [])]
        targets = [index[a.Dest[0].objgen] for a in links if "/Dest" in a]
        assert targets and all(t >= 2 for t in targets)
        last = pages[max(targets)]
        assert "205安全生产" in last and "最后资源" in last
        outline = pdf.open_outline()
        titles = [i.title for i in outline.root]
        assert titles[1].startswith("1 基础信息资源") and titles[2].startswith("2 主题信息资源")
