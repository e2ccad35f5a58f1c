"""Fixtures of the catalog book's tests: a small catalog with an entry in every state and scope
that matters, and the book's folder in the test's own temporary directory."""

from __future__ import annotations

import dataclasses
import pathlib
import subprocess
from typing import Any

import ckan.plugins.toolkit as tk
import pytest

PUBLIC_ITEM = "公开字段甲"
INTERNAL_ITEM = "内部字段乙"
UNDISCLOSED_ITEM = "保密字段丙"


@dataclasses.dataclass
class Catalog:
    unit_a: dict[str, Any]
    unit_b: dict[str, Any]
    entries: dict[str, dict[str, Any]]

    def title(self, key: str) -> str:
        return self.entries[key]["title"]


def _items(*scopes: tuple[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "description": f"{name}的说明",
            "data_type": "string",
            "length": 50,
            "disclosure_scope": scope,
        }
        for name, scope in scopes
    ]


ROLES = ("anonymous", "member", "editor", "admin", "reviewer", "sysadmin")


@pytest.fixture
def people(clean_db, make_unit) -> dict[str, Any]:
    """A unit's member, editor and admin; a reviewer (member of the e-government office); a
    sysadmin. ``people[role]`` is the user name (None for anonymous)."""
    from ckan.tests import factories

    from ckanext.yiyang import config

    users = {role: factories.User()["name"] for role in ("member", "editor", "admin", "reviewer")}
    make_unit(
        title="丙测试办",
        users=[{"name": users[r], "capacity": r} for r in ("member", "editor", "admin")],
    )
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": users["reviewer"], "capacity": "member"}],
    )
    users["sysadmin"] = factories.Sysadmin()["name"]
    return {"anonymous": None, **users}


@pytest.fixture
def book_dir(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
    folder = tmp_path / "books"
    monkeypatch.setitem(tk.config, "ckanext.yiyang.book.directory", str(folder))
    return folder


@pytest.fixture
def catalog(clean_db, clean_index, make_unit, entry_factory) -> Catalog:
    """Two units; published entries of every scope (public, partial, internal, undisclosed)
    in two categories; a draft, a submitted and a withdrawn entry that no edition may hold."""
    from ckan.tests import factories

    admin = {"user": factories.Sysadmin()["name"]}
    unit_a = make_unit(title="甲测试局")
    unit_b = make_unit(title="乙测试委")
    simple = {"format_class": "electronic_document", "data_items": []}
    entries: dict[str, dict[str, Any]] = {}

    def add(key: str, org: dict[str, Any], published: bool, **fields: Any) -> None:
        entries[key] = entry_factory(owner_org=org["id"], published=published, **fields)

    add(
        "public",
        unit_a,
        True,
        title="公开资源一号",
        disclosure_scope="public",
        catalog_category="101",
        **simple,
    )
    add(
        "public_b",
        unit_b,
        True,
        title="公开资源二号",
        disclosure_scope="public",
        catalog_category="101",
        **simple,
    )
    add(
        "partial",
        unit_a,
        True,
        title="部分公开资源三号",
        disclosure_scope="partial",
        catalog_category="201",
        data_items=_items(
            (PUBLIC_ITEM, "public"), (INTERNAL_ITEM, "internal"), (UNDISCLOSED_ITEM, "undisclosed")
        ),
    )
    add(
        "internal",
        unit_b,
        True,
        title="对内公开资源四号",
        disclosure_scope="internal",
        catalog_category="201",
        **simple,
    )
    add(
        "undisclosed",
        unit_a,
        True,
        title="不公开资源五号",
        disclosure_scope="undisclosed",
        catalog_category="101",
        **simple,
    )
    add(
        "draft",
        unit_a,
        False,
        title="草稿资源六号",
        disclosure_scope="public",
        catalog_category="101",
        **simple,
    )
    add(
        "submitted",
        unit_b,
        False,
        title="待审资源七号",
        disclosure_scope="public",
        catalog_category="201",
        **simple,
    )
    tk.get_action("yiyang_review_submit")(dict(admin), {"id": entries["submitted"]["id"]})
    add(
        "withdrawn",
        unit_b,
        True,
        title="撤销资源八号",
        disclosure_scope="public",
        catalog_category="101",
        **simple,
    )
    tk.get_action("yiyang_review_withdraw")(
        dict(admin), {"id": entries["withdrawn"]["id"], "reason": "测试"}
    )
    return Catalog(unit_a, unit_b, entries)


def pdf_text(path: pathlib.Path) -> str:
    """The PDF's text as pdftotext (poppler-utils) reads it, without line breaks."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    return text.replace("\n", "").replace(" ", "")


def pdf_pages(path: pathlib.Path) -> list[str]:
    """The text of each page (pdftotext separates pages by form feeds)."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True
    ).stdout.decode("utf-8")
    return [page.replace("\n", "").replace(" ", "") for page in text.split("\f")[:-1]]


def pdf_fonts(path: pathlib.Path) -> str:
    return subprocess.run(["pdffonts", str(path)], check=True, capture_output=True).stdout.decode(
        "utf-8"
    )
