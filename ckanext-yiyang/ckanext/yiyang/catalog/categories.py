"""The two classification trees of catalog-model §3.

``catalog_category`` (资源属性分类): the guide's classes 1 基础 and 2 主题 with their 项 from
``data/catalog_categories.yaml``; class 3 部门 with the unit groups of 附件1 as 项 and the units
as 目 (``3`` + group + unit code), from ``data/units.yaml``; and any deeper levels the office
added (table ``yiyang_category``). ``subject_category`` (主题分类): the 20 classes of GB/T
21063.4 from ``data/subject_categories.yaml``.
"""

from __future__ import annotations

import dataclasses
import functools
import time
from typing import Any

import sqlalchemy as sa
from ckan import model

from ckanext.yiyang.catalog import data
from ckanext.yiyang.model import CategoryLevel

DEPARTMENT_CLASS = "3"
# Added levels are read from the database at most this often per process (they change rarely,
# and an entry is indexed with its category's ancestors: reindexing must not query each time).
_ADDED_TTL_SECONDS = 30.0


@dataclasses.dataclass(frozen=True)
class Category:
    code: str
    title: str
    title_en: str
    parent: str | None

    def label(self, lang: str | None = None) -> str:
        return self.title_en if lang == "en" and self.title_en else self.title

    @property
    def coded(self) -> str:
        """``<code> <title>``, as the workbooks and the book write a classification."""
        return f"{self.code} {self.title}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "title_en": self.title_en,
            "parent": self.parent,
        }


@functools.cache
def _shipped_catalog() -> dict[str, Category]:
    nodes: dict[str, Category] = {}

    def add(node: dict[str, Any], parent: str | None) -> None:
        code = str(node["code"])
        nodes[code] = Category(code, node["title"], node.get("title_en", ""), parent)
        for child in node.get("children", []):
            add(child, code)

    for top in data.load("catalog_categories.yaml"):
        add(top, None)
    for group in data.load("units.yaml")["groups"]:
        group_code = DEPARTMENT_CLASS + group["code"]
        nodes[group_code] = Category(
            group_code, group["title"], group.get("title_en", ""), DEPARTMENT_CLASS
        )
        for unit in group["units"]:
            code = group_code + unit["code"]
            nodes[code] = Category(code, unit["title"], unit.get("title_en", ""), group_code)
    return nodes


_added_cache: tuple[float, dict[str, Category]] = (0.0, {})


def _added() -> dict[str, Category]:
    global _added_cache
    loaded_at, nodes = _added_cache
    if time.monotonic() - loaded_at < _ADDED_TTL_SECONDS:
        return nodes
    rows = model.Session.query(CategoryLevel).order_by(CategoryLevel.code).all()
    nodes = {r.code: Category(r.code, r.title, r.title_en, r.parent_code) for r in rows}
    _added_cache = (time.monotonic(), nodes)
    return nodes


def forget_added() -> None:
    """Drop this process's copy of the added levels (after adding one)."""
    global _added_cache
    _added_cache = (0.0, {})


def _forget_on_rollback(session: Any) -> None:
    forget_added()


def catalog_nodes() -> dict[str, Category]:
    """Every node of the catalog tree by code, shipped and added."""
    return {**_shipped_catalog(), **_added()}


def get(code: str) -> Category | None:
    return _shipped_catalog().get(code) or _added().get(code)


def coded(code: Any, subject: bool = False) -> str:
    """The catalog category (or, ``subject``, the subject class) ``code`` as ``<code> <title>``;
    an unknown code as itself, none as ``""``."""
    if not code:
        return ""
    node = subject_classes().get(str(code)) if subject else get(str(code))
    return node.coded if node is not None else str(code)


def is_assignable(code: str) -> bool:
    """An entry is classified at the level of a 项 or deeper, never at a bare 类."""
    node = get(code)
    return node is not None and node.parent is not None


def ancestors(code: str) -> list[str]:
    """The codes from the class down to ``code`` itself (``["3", "302", "302015"]``)."""
    path: list[str] = []
    node = get(code)
    while node is not None:
        path.append(node.code)
        node = get(node.parent) if node.parent else None
    return list(reversed(path))


def catalog_tree() -> list[dict[str, Any]]:
    """The catalog tree as nested dicts (``children`` lists), in the shipped order."""
    nodes = catalog_nodes()
    children: dict[str | None, list[Category]] = {}
    for node in nodes.values():
        children.setdefault(node.parent, []).append(node)

    def build(node: Category) -> dict[str, Any]:
        return {**node.as_dict(), "children": [build(c) for c in children.get(node.code, [])]}

    return [build(top) for top in children.get(None, [])]


def with_counts(nodes: list[dict[str, Any]], counts: dict[str, int]) -> list[dict[str, Any]]:
    """Set ``count`` on every node of a tree (counts by code, ancestors included)."""
    for node in nodes:
        node["count"] = counts.get(node["code"], 0)
        with_counts(node["children"], counts)
    return nodes


@functools.cache
def subject_classes() -> dict[str, Category]:
    return {
        str(s["code"]): Category(str(s["code"]), s["title"], s.get("title_en", ""), None)
        for s in data.load("subject_categories.yaml")
    }


def subject_tree() -> list[dict[str, Any]]:
    return [{**s.as_dict(), "children": []} for s in subject_classes().values()]


def add_level(
    code: str, parent: str, title: str, title_en: str, user: str, commit: bool = True
) -> Category:
    """Store a new deeper level (the caller has validated it). ``commit=False``: it joins the
    caller's transaction (an action's ``defer_commit``), the caller commits."""
    model.Session.add(
        CategoryLevel(
            code=code, parent_code=parent, title=title, title_en=title_en, created_by=user
        )
    )
    if commit:
        model.repo.commit()
    else:
        model.Session.flush()
        # this process's copy may read the new level before the caller decides: drop it again
        # when the caller rolls back
        session = model.Session()
        if not sa.event.contains(session, "after_rollback", _forget_on_rollback):
            sa.event.listen(session, "after_rollback", _forget_on_rollback)
    forget_added()
    return Category(code, title, title_en, parent)
