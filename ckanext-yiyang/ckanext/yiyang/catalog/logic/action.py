"""Actions of the catalog: the classification trees, and the system fields of entries.

``package_create`` and ``package_update`` are chained (not replaced) so that every path that
writes an entry — the form, the API, ``ckanapi``, imports — gets its code and keeps it.
"""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Action, Context, DataDict

from ckanext.yiyang import visibility
from ckanext.yiyang.catalog import categories, codes, validation
from ckanext.yiyang.logic.schema import flag, validate

DATASET_TYPE = "dataset"
_LEVEL_SUFFIX_RE = re.compile(r"^[0-9]{2,3}$")


def _system_values(
    context: Context, data_dict: DataDict, stored: dict[str, Any]
) -> dict[str, Any]:
    """The system fields this save writes: the stored ones, plus a code once a category is
    known, plus whatever an internal action decided (``yiyang_system_override``)."""
    values = {k: v for k, v in stored.items() if v}
    values.setdefault("metadata_id", codes.new_metadata_id())
    values.setdefault("review_status", "draft")
    category = data_dict.get("catalog_category")
    if not values.get("resource_code") and category and categories.is_assignable(str(category)):
        values["resource_code"] = codes.new_resource_code(str(category))
    values.update(context.get("yiyang_system_override") or {})
    return values


def _with_system_values(
    up_func: Action,
    context: Context,
    data_dict: DataDict,
    stored: dict[str, Any],
    stored_name: str = "",
) -> Any:
    values = _system_values(context, data_dict, stored)
    newly_coded = bool(values.get("resource_code")) and not stored.get("resource_code")
    if (
        newly_coded
        and stored_name.startswith("draft-")
        and data_dict.get("name") in (None, "", stored_name)
    ):
        # A draft named before it had a code gets the name made from its code.
        data_dict["name"] = codes.name_from_code(values["resource_code"])
    elif not data_dict.get("name"):
        data_dict["name"] = stored_name or (
            codes.name_from_code(values["resource_code"])
            if values.get("resource_code")
            else codes.name_from_metadata_id(values["metadata_id"])
        )
    # The decided values go into the dict too: core's package_update skips a save when the
    # dict equals the stored entry, and a change of review state alone must be saved.
    data_dict.update(values)
    # Who sees the entry follows its review state and scope; CKAN's flag says the same.
    data_dict["private"] = visibility.labels.is_private(
        values.get("review_status"), data_dict.get("disclosure_scope")
    )
    previous = context.get("yiyang_system")
    context["yiyang_system"] = values
    try:
        return up_func(context, data_dict)
    finally:
        if previous is None:
            context.pop("yiyang_system", None)
        else:
            context["yiyang_system"] = previous


def _check_valid(context: Context, data_dict: DataDict) -> None:
    """Validate a new entry before it takes a number, so that a refused form or import row
    leaves no gap in its category's sequence."""
    checked = data_dict
    if _activated_at_once(data_dict):
        checked = {**data_dict, "state": "active"}
    errors = validation.validate(context, checked)
    if errors:
        raise tk.ValidationError(errors)


def _activated_at_once(data_dict: DataDict) -> bool:
    """The first stage of CKAN's staged web form: it creates a CKAN draft and, as no data stage
    is asked for (``ckan.dataset.create_on_ui_requires_resources``), makes it active in the same
    request with every rule. Checked with every rule before it is written, a refused form leaves
    no hidden draft and takes no code (issue 12.2)."""
    return (
        bool(data_dict.get("_ckan_phase"))
        and data_dict.get("state") == "draft"
        and not tk.config.get("ckan.dataset.create_on_ui_requires_resources")
    )


@tk.chained_action
def package_create(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Gives a new entry its ``metadata_id``, its ``resource_code`` (once its catalog category
    is known) and, when none is given, a URL name derived from the code."""
    if "type" not in data_dict:
        # ``type`` is optional (``ckanapi action package_create`` leaves it out); core fills it
        # in only after this check would have validated without it: an entry is a dataset.
        data_dict = {**data_dict, "type": DATASET_TYPE}
    if data_dict["type"] != DATASET_TYPE:
        return up_func(context, data_dict)
    data_dict = dict(data_dict)  # the caller's dict (a form's) is not ours to fill in
    tk.check_access("package_create", context, data_dict)
    _check_valid(context, data_dict)
    return _with_system_values(up_func, context, data_dict, {})


@tk.chained_action
def package_update(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """Keeps the entry's system fields whatever the caller sends; gives the code to a draft
    that receives its first catalog category."""
    from ckan import model

    package = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    if package is None or package.type != DATASET_TYPE:
        return up_func(context, data_dict)
    data_dict = dict(data_dict)
    stored: dict[str, Any] = {
        key: package.extras.get(key)
        for key in ("resource_code", "metadata_id", "release_date", "review_status")
    }
    return _with_system_values(up_func, context, data_dict, stored, package.name)


@tk.side_effect_free
def yiyang_category_tree(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The classification trees of the catalog, for navigation (导航和定位).

    :param tree: ``catalog`` (资源属性分类: 基础/主题/部门 and the levels the office added) or
        ``subject`` (the 20 GB/T 21063.4 主题 classes); default ``catalog``
    :type tree: string
    :param with_counts: add to every node the number of entries under it that the caller may
        see (``count``); default false
    :type with_counts: bool
    :returns: ``{"tree": name, "nodes": [{code, title, title_en, parent, children, count?}]}``
    :rtype: dict
    """
    tk.check_access("yiyang_category_tree", context, data_dict)
    tree = data_dict.get("tree") or "catalog"
    if tree not in ("catalog", "subject"):
        raise tk.ValidationError({"tree": [tk._("Must be catalog or subject")]})
    nodes = categories.catalog_tree() if tree == "catalog" else categories.subject_tree()
    result: dict[str, Any] = {"tree": tree, "nodes": nodes}
    if validate(data_dict, {"with_counts": [flag()]}, context)["with_counts"]:
        from ckanext.yiyang.catalog.search import CATALOG_FACET, facet_counts

        field = CATALOG_FACET if tree == "catalog" else "subject_category"
        counts, total = facet_counts(context, [field])
        categories.with_counts(nodes, counts[field])
        result["total"] = total
    return result


def yiyang_category_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Add a deeper level (细目) to the catalog classification. Reviewers only.

    :param parent: the code of the node it goes under (a 目 or a level already added, e.g.
        ``302015`` or ``101``)
    :type parent: string
    :param code: the new node's own digits (2 or 3), appended to the parent's code
    :type code: string
    :param title: its Chinese name
    :type title: string
    :param title_en: its English name (optional)
    :type title_en: string
    :returns: the new node (``code`` is the full code)
    :rtype: dict
    """
    tk.check_access("yiyang_category_create", context, data_dict)
    errors: dict[str, list[str]] = {}
    parent = str(data_dict.get("parent") or "").strip()
    suffix = str(data_dict.get("code") or "").strip()
    title = str(data_dict.get("title") or "").strip()
    title_en = str(data_dict.get("title_en") or "").strip()
    parent_node = categories.get(parent) if parent else None
    if parent_node is None or parent_node.parent is None:
        errors["parent"] = [tk._("Choose an existing category below a class")]
    if not _LEVEL_SUFFIX_RE.match(suffix):
        errors["code"] = [tk._("Give 2 or 3 digits")]
    if not title:
        errors["title"] = [tk._("Missing value")]
    if not errors and categories.get(parent + suffix) is not None:
        errors["code"] = [tk._("The category {code} exists already").format(code=parent + suffix)]
    if errors:
        raise tk.ValidationError(errors)
    node = categories.add_level(
        parent + suffix,
        parent,
        title,
        title_en,
        context.get("user") or "",
        commit=not context.get("defer_commit"),
    )
    return node.as_dict()
