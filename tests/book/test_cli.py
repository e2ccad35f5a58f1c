"""``ckan yiyang book --edition … --format … -o FILE``."""

from __future__ import annotations

import openpyxl
import pytest
from ckan.cli.cli import ckan

from ckanext.yiyang.book import storage
from tests.book.conftest import INTERNAL_ITEM, PUBLIC_ITEM, pdf_text

pytestmark = pytest.mark.usefixtures("with_plugins")


def test_cli_writes_each_edition(cli, catalog, book_dir, tmp_path):
    out = tmp_path / "公开版.pdf"
    result = cli.invoke(
        ckan, ["yiyang", "book", "--edition", "public", "--format", "pdf", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "3 entries" in result.output
    text = pdf_text(out)
    assert PUBLIC_ITEM in text and INTERNAL_ITEM not in text
    assert storage.latest("public", "pdf") is None  # not stored without --store

    out = tmp_path / "internal.xlsx"
    result = cli.invoke(
        ckan,
        ["yiyang", "book", "--edition", "internal", "--format", "xlsx", "-o", str(out), "--store"],
    )
    assert result.exit_code == 0, result.output
    titles = {
        c.value for row in openpyxl.load_workbook(out)["信息资源目录"].iter_rows() for c in row
    }
    assert catalog.title("internal") in titles
    assert storage.latest("internal", "xlsx")["entries"] == 4


def test_cli_refuses_unknown_editions(cli, tmp_path):
    result = cli.invoke(
        ckan,
        [
            "yiyang",
            "book",
            "--edition",
            "secret",
            "--format",
            "pdf",
            "-o",
            str(tmp_path / "x.pdf"),
        ],
    )
    assert result.exit_code != 0
    assert "secret" in result.output
