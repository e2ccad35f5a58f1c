"""What an edition of the catalog book holds, read through the actions as its reader sees it.

- **public**: an anonymous visitor (``{"user": ""}``): published public and partial entries,
  a partial entry without its non-public 信息项.
- **internal**: ``visibility.labels.GovernmentReader``, a government user of no unit in particular:
  published public, partial (every 信息项) and internal entries. A real member of a unit would
  also see their own unit's unpublished and undisclosed entries, which no edition may hold.

Nothing here decides who sees what: ``package_search`` does, with the permission labels and
hooks of ``visibility`` (``viewing_as`` gives its request-bound hooks the same viewer outside a
request). The book only orders what comes back: by catalog class and category (the tree of
``catalog.categories``), then by unit in the order of 附件1, then by resource code. Entries are
streamed page by page per (category, unit); only the counts are held.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context

from ckanext.yiyang import visibility
from ckanext.yiyang.catalog import categories, units

EDITIONS = ("internal", "public")
FORMATS = ("pdf", "xlsx")
EDITION_LABELS = {"internal": "内部版", "public": "公开版"}
EDITION_READERS = {"internal": "供政务部门内部使用", "public": "向社会公开"}
BOOK_TITLE = "益阳市电子政务信息资源目录"
PAGE_ROWS = 1000  # package_search's rows limit (ckan.search.rows_max) by default


@dataclasses.dataclass(frozen=True)
class Heading:
    """A heading of the book: a catalog class or category (``code``), or a unit."""

    level: int
    kind: str  # "class", "category", "unit"
    code: str
    title: str
    anchor: str
    count: int

    @property
    def text(self) -> str:
        if self.kind == "unit":
            return self.title
        return f"{self.code} {self.title}"


@dataclasses.dataclass(frozen=True)
class Group:
    """The entries of one unit in one category, with the headings that open it."""

    category: str
    unit_id: str
    count: int
    headings: tuple[Heading, ...]
    trail: tuple[Heading, ...]  # every heading in force (for running heads of a new part)


@dataclasses.dataclass
class Plan:
    edition: str
    groups: list[Group]

    @property
    def total(self) -> int:
        return sum(g.count for g in self.groups)

    def headings(self) -> Iterator[Heading]:
        for group in self.groups:
            yield from group.headings


@contextlib.contextmanager
def reader(edition: str) -> Iterator[Context]:
    """The action context of the edition's reader, with the viewer of the request-bound search
    hooks set to the same reader for the duration."""
    if edition == "public":
        context: Context = {"user": "", "auth_user_obj": None}
        name = None
    elif edition == "internal":
        context = {
            "user": visibility.labels.GOVERNMENT_READER,
            "auth_user_obj": visibility.labels.GovernmentReader(),
        }
        name = visibility.labels.GOVERNMENT_READER
    else:
        raise ValueError(f"unknown edition {edition!r}")
    with visibility.viewer.viewing_as(name):
        yield context


def _search(context: Context, data: dict[str, Any]) -> dict[str, Any]:
    return tk.get_action("package_search")(
        dict(context), {"q": "*:*", "include_private": True, **data}
    )


def _facet(context: Context, field: str, fq: str = "") -> dict[str, int]:
    result = _search(
        context,
        {
            "rows": 0,
            "fq": fq,
            "facet.field": [field],
            "facet.limit": -1,
            "facet.mincount": 1,
        },
    )
    facet = result["search_facets"].get(field) or {"items": []}
    return {item["name"]: item["count"] for item in facet["items"]}


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _category_order() -> list[str]:
    """Every category code in the order of the tree (a node before its children)."""
    order: list[str] = []

    def walk(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            order.append(node["code"])
            walk(node["children"])

    walk(categories.catalog_tree())
    return order


def _organizations() -> dict[str, dict[str, Any]]:
    """The units by id: their names, titles, groups and codes (``units.unit_rows``, one
    query; ``organization_list`` validated and counted each unit in Solr, 25 a call)."""
    return {unit["id"]: dict(unit) for unit in units.unit_rows()}


def plan(context: Context, edition: str) -> Plan:
    """The groups of the edition in the book's order, with their headings and counts: one
    facet query for the categories, one per category for its units."""
    return plan_from_counts(
        edition,
        _facet(context, "catalog_category"),
        lambda code: _facet(context, "owner_org", f"+catalog_category:{_quoted(code)}"),
        _organizations(),
    )


def plan_from_counts(
    edition: str,
    by_category: dict[str, int],
    units_of: Callable[[str], dict[str, int]],
    orgs: dict[str, dict[str, Any]],
) -> Plan:
    """The plan of entries counted by category (``by_category``) and, within a category, by
    unit id (``units_of(code)``); ``orgs``: the units by id."""
    order = _category_order()
    known = set(order)
    # Codes no longer in the tree come last, by code, so that no entry is lost.
    order += sorted(code for code in by_category if code not in known)

    groups: list[Group] = []
    trail: list[Heading] = []
    subtree_counts: dict[str, int] = {}
    for code, count in by_category.items():
        for ancestor in categories.ancestors(code) or [code]:
            subtree_counts[ancestor] = subtree_counts.get(ancestor, 0) + count
    for code in order:
        if not by_category.get(code):
            continue
        path = categories.ancestors(code) or [code]
        by_unit = units_of(code)
        unit_ids = sorted(by_unit, key=lambda i: units.unit_order_key(orgs.get(i) or {"title": i}))
        for unit_id in unit_ids:
            opened: list[Heading] = []
            # The category levels that differ from the previous group's open a section.
            for depth, node_code in enumerate(path):
                kept = depth < len(trail) and trail[depth].kind != "unit"
                if kept and trail[depth].code == node_code:
                    continue
                del trail[depth:]
                node = categories.get(node_code)
                heading = Heading(
                    level=depth + 1,
                    kind="class" if depth == 0 else "category",
                    code=node_code,
                    title=node.title if node else node_code,
                    anchor=f"h{len(groups)}-{depth}",
                    count=subtree_counts.get(node_code, 0),
                )
                trail.append(heading)
                opened.append(heading)
            del trail[len(path) :]
            org = orgs.get(unit_id) or {}
            if not _is_unit_category(path, org):
                heading = Heading(
                    level=len(path) + 1,
                    kind="unit",
                    code=unit_id,
                    title=org.get("title") or org.get("name") or unit_id,
                    anchor=f"h{len(groups)}-u",
                    count=by_unit[unit_id],
                )
                trail.append(heading)
                opened.append(heading)
            groups.append(Group(code, unit_id, by_unit[unit_id], tuple(opened), tuple(trail)))
    return Plan(edition, groups)


def _is_unit_category(path: list[str], org: dict[str, Any]) -> bool:
    """部门信息资源 are classified by unit already (目 = the unit): no second unit heading."""
    group, code = org.get("unit_group"), org.get("unit_code")
    if not group or not code:
        return False
    return categories.DEPARTMENT_CLASS + group + code in path


def entries(context: Context, group: Group) -> Iterator[dict[str, Any]]:
    """The entries of ``group`` by resource code, page by page."""
    fq = f"+catalog_category:{_quoted(group.category)} +owner_org:{_quoted(group.unit_id)}"
    start = 0
    while True:
        page = _search(
            context,
            {"fq": fq, "rows": PAGE_ROWS, "start": start, "sort": "resource_code asc, name asc"},
        )
        yield from page["results"]
        start += len(page["results"])
        if len(page["results"]) < PAGE_ROWS:
            return


Block = tuple[str, Any]  # ("group", Group) or ("entry", dict)


def blocks(context: Context, book_plan: Plan) -> Iterator[Block]:
    """The book's content in reading order: each group, then its entries."""
    for group in book_plan.groups:
        yield ("group", group)
        for entry in entries(context, group):
            yield ("entry", entry)
