"""附件3's two sheets read into the data of ``package_create``: cells to codes, problems on cells.

Nothing here asks the database about entries: a row becomes a dict of API fields (or None,
with its problems in the report); matching, rights and the schema's rules are ``plan``'s.
"""

from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.yiyang.catalog import categories
from ckanext.yiyang.imports.common import (
    LIST_SPLIT,
    TAG_SPLIT,
    Units,
    choice,
    fold_title,
    no_unit_named,
)
from ckanext.yiyang.imports.reader import Row, Sheet, read_sheet
from ckanext.yiyang.imports.report import ImportReport
from ckanext.yiyang.survey import workbooks
from ckanext.yiyang.survey.layout import ENTRY_COLUMNS, ITEM_COLUMNS

SHEET = workbooks.ENTRIES_SHEET
ITEM_SHEET = workbooks.ITEMS_SHEET
CHOICE_FIELDS = (
    "format_class",
    "share_type",
    "share_method",
    "open_to_public",
    "update_cycle",
    "disclosure_scope",
    "management_mode",
)
TEXT_FIELDS = (
    "title",
    "notes",
    "provider_department",
    "format_type",
    "share_condition",
    "open_condition",
    "online_url",
    "service_url",
    "service_type",
)
_LEADING_CODE = re.compile(r"^\s*([0-9]+)(?:\s+(.*))?$", re.S)
_WHOLE_NUMBER = re.compile(r"^\s*([0-9]+)(?:\.0*)?\s*$")
# The label of row 2 of the entries sheet (written by the template, read as the unit).
UNIT_LABEL = "填表单位"


def read(book: Any, max_rows: int, on_row: Any = None) -> tuple[Sheet, Sheet]:
    entries = read_sheet(book, SHEET, ENTRY_COLUMNS, max_rows, ("row", "title"), on_row)
    items = read_sheet(book, ITEM_SHEET, ITEM_COLUMNS, max_rows, ("row", "name"))
    return entries, items


def category(
    sheet: Sheet, row: Row, key: str, nodes: dict[str, Any], report: ImportReport
) -> str | None:
    """The code of a classification cell, written as ``<code> <title>``, a code or a title
    ("" when blank, None when unknown: a problem is added)."""
    value = row.values.get(key, "")
    if not value:
        return ""
    match = _LEADING_CODE.match(value)
    code = None
    if match and match.group(1) in nodes:
        code = match.group(1)
        title = (match.group(2) or "").strip()
        if title and fold_title(title) != fold_title(nodes[code].title):
            code = None
    if code is None:
        by_title = [c for c, n in nodes.items() if fold_title(n.title) == fold_title(value)]
        if len(by_title) == 1:
            code = by_title[0]
    if code is None:
        example = next(
            n.coded for n in nodes.values() if n.parent is not None or key == "subject_category"
        )
        report.add(
            sheet.name,
            row.number,
            sheet.label(key),
            tk._(
                "“{value}” is not one of the {column}: choose one from the drop-down list "
                "(e.g. “{example}”)"
            ).format(value=value, column=sheet.label(key), example=example),
        )
        return None
    canonical = nodes[code].coded
    if value != canonical:
        report.map(sheet.name, row.number, sheet.label(key), value, code, canonical)
    return code


def entry_data(
    sheet: Sheet, row: Row, units: Units, report: ImportReport
) -> tuple[dict[str, Any], bool]:
    """The entry of ``row`` as API fields, and whether every cell could be read (a cell with a
    problem is left blank: the schema's rules still run on the others)."""
    ok = True
    data: dict[str, Any] = {key: row.values.get(key, "") for key in TEXT_FIELDS}
    owner_text = row.values.get("owner_org") or sheet.unit
    owner = units.get(owner_text) if owner_text else None
    if owner is None:
        if row.values.get("owner_org"):
            report.add(sheet.name, row.number, sheet.label("owner_org"), no_unit_named(owner_text))
        elif sheet.unit:
            report.add(sheet.name, workbooks.UNIT_ROW, UNIT_LABEL, no_unit_named(sheet.unit))
        else:
            report.add(
                sheet.name,
                row.number,
                sheet.label("owner_org"),
                tk._("Fill in the provider, or choose the filling unit in row 2"),
            )
        ok = False
    else:
        data["owner_org"] = owner.id
    for key, nodes in (
        ("catalog_category", {c: n for c, n in categories.catalog_nodes().items() if n.parent}),
        ("subject_category", categories.subject_classes()),
    ):
        code = category(sheet, row, key, nodes, report)
        ok = ok and code is not None
        data[key] = code or ""
    for field in CHOICE_FIELDS:
        code = choice(sheet, row, field, field, report)
        ok = ok and code is not None
        data[field] = code or ""
    if data["share_type"] == "none":
        data["share_method"] = ""  # not shared: the schema drops the method too
    tags = [t.strip() for t in TAG_SPLIT.split(row.values.get("tag_string", "")) if t.strip()]
    data["tag_string"] = ",".join(dict.fromkeys(tags))
    related = [c for c in LIST_SPLIT.split(row.values.get("related_resource_codes", "")) if c]
    data["related_resource_codes"] = list(dict.fromkeys(related))
    return data, ok


def item(
    sheet: Sheet, row: Row, entry_scope: str, report: ImportReport
) -> tuple[dict[str, Any], bool]:
    """A 信息项 of ``row`` as API fields, and whether every cell could be read."""
    ok = True
    data: dict[str, Any] = {
        "name": row.values.get("name", ""),
        "description": row.values.get("description", ""),
        "unit": row.values.get("unit", ""),
    }
    for key in ("data_type", "disclosure_scope"):
        code = choice(sheet, row, key, key, report)
        ok = ok and code is not None
        data[key] = code or ""
    if not data["disclosure_scope"]:
        data["disclosure_scope"] = entry_scope  # 不填则同所属信息资源
    length = row.values.get("length", "")
    whole = _WHOLE_NUMBER.match(length)
    data["length"] = whole.group(1) if whole else length
    return data, ok
