"""A book laid out in parts by two processes at once: its page numbers run on from part to part
and every line of the contents gives the page where its class, category or unit starts."""

from __future__ import annotations

import datetime
import re
import subprocess

import pytest

from ckanext.yiyang.book import pdf, source
from tests.book.conftest import pdf_pages

pytestmark = pytest.mark.usefixtures("with_plugins")


def test_parallel_parts_numbers_and_contents(
    clean_db, clean_index, make_unit, entry_factory, tmp_path
):
    units = [make_unit(title=t) for t in ("己测试局", "庚测试局", "辛测试委")]
    for index, (unit, category, count) in enumerate(
        [(units[0], "102", 4), (units[1], "102", 3), (units[2], "205", 4), (units[0], "205", 3)]
    ):
        for number in range(count):
            entry_factory(
                owner_org=unit["id"],
                published=True,
                title=f"编号资源{index}-{number:02d}",
                disclosure_scope="public",
                catalog_category=category,
            )
    out = tmp_path / "book.pdf"
    with source.reader("public") as context:
        book_plan = source.plan(context, "public")
        result = pdf.write(
            context,
            book_plan,
            out,
            generated=datetime.datetime(2026, 12, 4, 9, 0),
            weight_limit=50,
            jobs=2,
        )
    assert result.entries == 14
    assert result.parts >= 3

    pages = pdf_pages(out)
    front = len(pages) - result.body_pages
    body = pages[front:]
    assert len(body) > result.parts
    # Every body page carries its number, 1, 2, 3… whichever part it was laid out in.
    for number, page in enumerate(body, start=1):
        assert re.findall(r"—(\d+)—", page) == [str(number)], page
    raw = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", "2", "-l", str(front), str(out), "-"],
        check=True,
        capture_output=True,
    ).stdout.decode("utf-8")
    contents = [line.replace(" ", "") for line in raw.splitlines()]
    headings = list(book_plan.headings())
    assert len(headings) == 8  # 2 classes, 2 categories, 4 unit headings
    for heading in headings:
        line = re.escape(f"{heading.text}（{heading.count}）".replace(" ", ""))
        found = next(
            filter(None, (re.fullmatch(line + r"[.·…]*(\d+)", c) for c in contents)), None
        )
        assert found, (heading, contents)
        listed = int(found.group(1))
        # The heading itself (text and count of entries) is on that page and on no earlier one.
        printed = f"{heading.text}（{heading.count}条）".replace(" ", "")
        starts = [n for n, page in enumerate(body, start=1) if printed in page]
        assert starts and starts[0] == listed, (heading, listed, starts)
    # Every entry is in the book once, a unit's entries in order across the parts.
    text = "".join(body)
    for index, count in enumerate((4, 3, 4, 3)):
        titles = [f"编号资源{index}-{n:02d}" for n in range(count)]
        assert all(text.count(t) == 1 for t in titles)
        positions = [text.index(t) for t in titles]
        assert positions == sorted(positions)
