"""Template helpers of the catalog (choice lists, labels, navigation)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.yiyang.catalog import categories, schema, search
from ckanext.yiyang.catalog.units import unit_rows
from ckanext.yiyang.logic import per_request


def yiyang_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """scheming ``choices_helper``: the list named by the field's own name (in a repeating
    row the form names it ``data_items-0-data_type``)."""
    return schema.CHOICES[field["field_name"].rsplit("-", 1)[-1]]


def yiyang_catalog_category_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    """The catalog tree, depth first, each label indented by its level (for the picker)."""
    lang = tk.h.lang()
    out: list[dict[str, Any]] = []

    def walk(nodes: list[dict[str, Any]], depth: int) -> None:
        for node in nodes:
            title = node["title_en"] if lang == "en" and node["title_en"] else node["title"]
            out.append(
                {
                    "value": node["code"],
                    "label": "\u3000" * depth + f"{node['code']} {title}",
                    "selectable": depth > 0,
                }
            )
            walk(node["children"], depth + 1)

    walk(categories.catalog_tree(), 0)
    return out


def yiyang_subject_category_choices(field: dict[str, Any]) -> list[dict[str, Any]]:
    lang = tk.h.lang()
    return [
        {"value": c.code, "label": f"{c.code} {c.label(lang)}"}
        for c in categories.subject_classes().values()
    ]


def yiyang_choice_label(field: str, value: str) -> str:
    """The label of a stored choice value in the request's language."""
    return schema.label(field, value)


def yiyang_category_label(code: str) -> str:
    node = categories.get(code) or categories.subject_classes().get(code)
    return node.label(tk.h.lang()) if node else code


def yiyang_category_path(code: str) -> list[dict[str, str]]:
    """The catalog category and its ancestors, for breadcrumbs: ``[{code, label}, …]``."""
    lang = tk.h.lang()
    path = []
    for c in categories.ancestors(code):
        node = categories.get(c)
        if node is not None:
            path.append({"code": c, "label": node.label(lang)})
    return path


def yiyang_navigation() -> dict[str, Any]:
    """导航和定位: the catalog tree (classes and their items) and the unit groups, each with the
    number of entries under it that the current user may see. Computed once per request."""
    cached = getattr(tk.g, "_yiyang_navigation", None)
    if cached is not None:
        return cached
    counts, total = search.facet_counts(
        {"user": tk.g.get("user")}, [search.CATALOG_FACET, search.UNIT_GROUP_FIELD]
    )
    lang = tk.h.lang()
    tree = categories.with_counts(categories.catalog_tree(), counts[search.CATALOG_FACET])
    for node in tree:
        node["label"] = node["title_en"] if lang == "en" and node["title_en"] else node["title"]
        for child in node["children"]:
            child["label"] = (
                child["title_en"] if lang == "en" and child["title_en"] else child["title"]
            )
    department = next(n for n in tree if n["code"] == categories.DEPARTMENT_CLASS)
    unit_groups = [
        {
            "code": group["code"][1:],  # 302 → unit group 02
            "label": group["label"],
            "count": counts[search.UNIT_GROUP_FIELD].get(group["code"][1:], 0),
        }
        for group in department["children"]
    ]
    tk.g._yiyang_navigation = {"tree": tree, "unit_groups": unit_groups, "total": total}
    return tk.g._yiyang_navigation


def yiyang_sort_options() -> list[tuple[str, str]]:
    """The search page's sort choices as (label, value): relevance, name, release, change."""
    _ = tk._
    return [
        (_("Relevance"), "score desc, metadata_modified desc"),
        (_("Name Ascending"), "title_string asc"),
        (_("Name Descending"), "title_string desc"),
        (_("Release date"), "release_date desc"),
        (_("Last Modified"), "metadata_modified desc"),
    ]


def yiyang_unit_groups() -> list[dict[str, Any]]:
    """Every unit for a picker, in the notice's groups (附件1: 单位类别 01–05) and order (单位编码):
    ``[{"code", "label", "units": [{"id", "name", "title"}]}]``; units without a group last.
    Read once per request (``units.unit_rows``: one query)."""
    return per_request.kept("unit_groups", None, _unit_groups)


def _unit_groups() -> list[dict[str, Any]]:
    units = unit_rows()
    choices = schema._schema_fields("organization")["unit_group"]["choices"]
    labels = {c["value"]: tk.h.scheming_language_text(c["label"]) for c in choices}
    groups: dict[str, dict[str, Any]] = {
        code: {"code": code, "label": label, "units": []} for code, label in labels.items()
    }
    other = {"code": "", "label": tk._("Other units"), "units": []}
    for unit in sorted(
        units, key=lambda u: (u.get("unit_group") or "99", u.get("unit_code") or "", u["title"])
    ):
        group = groups.get(unit.get("unit_group") or "", other)
        group["units"].append({"id": unit["id"], "name": unit["name"], "title": unit["title"]})
    return [g for g in [*groups.values(), other] if g["units"]]


def yiyang_unit_box(unit_id: str) -> dict[str, Any]:
    """The unit of an entry as its page's sidebar shows it (name, logo, description, 单位类别 and
    编码), ``{}`` when the reader may not see it.

    CKAN's ``h.get_organization`` asks ``organization_show`` for the unit's members, each with
    the number of entries they created (a count over every entry), and the unit's entry count
    from Solr, none of which the box shows; CKAN renders the sidebar twice a page (once to see
    whether it is empty). At 95,732 entries that was 160 ms of a 250 ms entry page."""
    return per_request.kept("unit_box", unit_id, lambda: _unit_box(unit_id))


def _unit_box(unit_id: str) -> dict[str, Any]:
    try:
        return tk.get_action("organization_show")(
            {"user": tk.current_user.name if tk.current_user.is_authenticated else None},
            {
                "id": unit_id,
                "include_users": False,
                "include_dataset_count": False,
                "include_followers": False,
                "include_groups": False,
            },
        )
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return {}


def yiyang_person(user: str | None) -> str:
    """How a person is named on every page: full name and units — 张三（市统计局）— never
    the login name (issue 12.10). A user without a full name: "a user of <units>"; an
    unknown id: a dash."""
    if not user:
        return "—"
    # a list names the same few people on each of its rows
    return per_request.kept("person", user, lambda: _person(user))


def _person(user: str) -> str:
    from ckan import model

    from ckanext.yiyang import roles

    found = model.User.get(user)
    if found is None:
        return "—"
    units = [
        group.title
        for group in (model.Group.get(u) for u in roles.units_of(found.name))
        if group is not None
    ]
    who = (found.fullname or "").strip()
    if not who:
        who = tk._("A user of {units}").format(units="、".join(units)) if units else "—"
        return who
    return f"{who}（{'、'.join(units)}）" if units else who
