"""The two editions hold exactly what their readers see (catalog-model §6, §10), in the
book's order, as a PDF with Chinese fonts embedded and as an Excel workbook."""

from __future__ import annotations

import openpyxl
import pikepdf
import pytest

from ckanext.yiyang.book.generate import generate
from tests.book.conftest import (
    INTERNAL_ITEM,
    PUBLIC_ITEM,
    UNDISCLOSED_ITEM,
    pdf_fonts,
    pdf_pages,
    pdf_text,
)

pytestmark = pytest.mark.usefixtures("with_plugins")

NEVER = ("undisclosed", "draft", "submitted", "withdrawn")


def test_public_pdf_holds_only_what_anonymous_visitors_see(catalog, tmp_path):
    out = tmp_path / "public.pdf"
    meta = generate("public", "pdf", out)
    text = pdf_text(out)
    assert meta["entries"] == 3
    for key in ("public", "public_b", "partial"):
        assert catalog.title(key) in text
    for key in ("internal", *NEVER):
        assert catalog.title(key) not in text
    # The partly public entry without its non-public 信息项.
    assert PUBLIC_ITEM in text
    assert INTERNAL_ITEM not in text
    assert UNDISCLOSED_ITEM not in text
    assert "公开版" in text and "内部版" not in text


def test_internal_pdf_holds_what_government_users_see_and_nothing_unpublished(catalog, tmp_path):
    out = tmp_path / "internal.pdf"
    meta = generate("internal", "pdf", out)
    text = pdf_text(out)
    assert meta["entries"] == 4
    for key in ("public", "public_b", "partial", "internal"):
        assert catalog.title(key) in text
    for key in NEVER:
        assert catalog.title(key) not in text
    # Government users see every 信息项 of a partly public entry, the undisclosed one too
    # (an item's own scope restricts it from the public only).
    assert PUBLIC_ITEM in text and INTERNAL_ITEM in text and UNDISCLOSED_ITEM in text
    assert "内部版" in text


def test_pdf_layout_cover_contents_order_page_numbers_fonts(catalog, tmp_path):
    out = tmp_path / "internal.pdf"
    meta = generate("internal", "pdf", out)
    with pikepdf.open(out) as pdf:
        assert len(pdf.pages) == meta["pages"]
        outline = pdf.open_outline()
        top = [item.title for item in outline.root]
    assert top[0] == "目录"
    assert top[1].startswith("1 基础信息资源") and top[2].startswith("2 主题信息资源")
    pages = pdf_pages(out)
    assert len(pages) == meta["pages"]
    cover, contents, body = pages[0], pages[1], pages[2:]
    assert "益阳市电子政务信息资源目录" in cover and "收录信息资源4条" in cover
    # Contents (numbered ii): classes, categories and units with the page they start on.
    assert "101人口（2）" in contents and "甲测试局（1）" in contents
    assert contents.rstrip().endswith("ii")
    # The body is numbered from 1, with the running heads on every page.
    for number, page in enumerate(body, start=1):
        assert f"—{number}—" in page
        assert "益阳市电子政务信息资源目录（内部版）" in page
    # Class 1 before class 2 (a class starts a page), within 101 the units in the order of
    # 附件1 (the test's units by their codes: 甲 before 乙), entries by resource code.
    text = "".join(body)
    positions = [text.index(catalog.title(k)) for k in ("public", "public_b", "partial")]
    assert positions == sorted(positions)
    assert "1基础信息资源" in body[0] and "2主题信息资源" in body[1]
    fonts = pdf_fonts(out)
    assert "NotoSerifCJK" in fonts.replace("-", "") or "Noto-Serif-CJK" in fonts
    for line in fonts.splitlines()[2:]:
        assert " yes yes " in line  # every font embedded (and subset)


def test_xlsx_editions(catalog, tmp_path):
    public = tmp_path / "public.xlsx"
    internal = tmp_path / "internal.xlsx"
    assert generate("public", "xlsx", public)["entries"] == 3
    assert generate("internal", "xlsx", internal)["entries"] == 4

    def cells(path):
        book = openpyxl.load_workbook(path, read_only=True)
        sheets = {}
        for sheet in book.worksheets:
            sheets[sheet.title] = [
                [c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)
            ]
        return sheets

    sheets = cells(public)
    assert list(sheets) == ["信息资源目录", "信息项"]
    flat = " ".join(str(c) for row in sheets["信息资源目录"] for c in row)
    assert "1 基础信息资源（2 条）" in flat and "甲测试局" in flat
    for key in ("public", "public_b", "partial"):
        assert catalog.title(key) in flat
    for key in ("internal", *NEVER):
        assert catalog.title(key) not in flat
    items = [row for row in sheets["信息项"][2:]]
    assert [row[3] for row in items] == [PUBLIC_ITEM]

    sheets = cells(internal)
    flat = " ".join(str(c) for row in sheets["信息资源目录"] for c in row)
    assert catalog.title("internal") in flat
    for key in NEVER:
        assert catalog.title(key) not in flat
    names = [row[3] for row in sheets["信息项"][2:]]
    assert names == [PUBLIC_ITEM, INTERNAL_ITEM, UNDISCLOSED_ITEM]


def test_xlsx_keeps_formula_like_text_as_text(
    clean_db, clean_index, make_unit, entry_factory, tmp_path
):
    unit = make_unit()
    entry_factory(
        owner_org=unit["id"],
        published=True,
        title='=HYPERLINK("http://x")资源',
        disclosure_scope="public",
        format_class="electronic_document",
        data_items=[],
        notes="+SUM(A1:A2) 摘要",
    )
    out = tmp_path / "public.xlsx"
    generate("public", "xlsx", out)
    sheet = openpyxl.load_workbook(out)["信息资源目录"]
    found = [
        c
        for row in sheet.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith(("=", "+"))
    ]
    assert found and all(c.data_type == "s" for c in found)


def test_empty_catalog_gives_a_valid_book(clean_db, clean_index, tmp_path):
    out = tmp_path / "public.pdf"
    meta = generate("public", "pdf", out)
    assert meta["entries"] == 0
    assert "暂无已发布的信息资源" in pdf_text(out)
