"""An entry as the book shows it: its core metadata and its 信息项, with the Chinese labels of
the choice lists (``catalog.schema``), headed by the labels of the entry's scheming schema.
Shared by the PDF and the Excel edition."""

from __future__ import annotations

from typing import Any

from ckanext.yiyang.catalog import categories, schema

ZH = "zh_Hans_CN"


def label(field: str, item: bool = False) -> str:
    """The heading of a field in the book: its label in the entry's schema (``item``: a field
    of a 信息项)."""
    return schema.field_label(field, ZH, item=item)


def _label(field: str, value: Any) -> str:
    if value in (None, ""):
        return ""
    return schema.label(field, str(value), ZH)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "，".join(str(v) for v in value if v not in (None, ""))
    return str(value).strip()


def provider(entry: dict[str, Any]) -> str:
    org = entry.get("organization") or {}
    name = org.get("title") or org.get("name") or ""
    department = _text(entry.get("provider_department"))
    return f"{name}（{department}）" if department else name


def format_text(entry: dict[str, Any]) -> str:
    label = _label("format_class", entry.get("format_class"))
    kind = _text(entry.get("format_type"))
    return f"{label}（{kind}）" if label and kind else label or kind


def keywords(entry: dict[str, Any]) -> str:
    tags = entry.get("tags") or []
    return "，".join(t.get("name", "") for t in tags if isinstance(t, dict))


def release_date(entry: dict[str, Any]) -> str:
    return _text(entry.get("release_date"))[:10]


def share_condition_label(entry: dict[str, Any]) -> str:
    """共享条件, or for an entry that is not shared 不予共享依据: the two halves of the field's
    label (``共享条件/不予共享依据``)."""
    shared, _slash, not_shared = label("share_condition").partition("/")
    return (not_shared or shared).strip() if entry.get("share_type") == "none" else shared.strip()


def items(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The 信息项 the reader may see (the search already left out what they may not)."""
    rows = []
    for item in entry.get("data_items") or []:
        if not isinstance(item, dict):
            continue
        rows.append(
            {
                "name": _text(item.get("name")),
                "description": _text(item.get("description")),
                "data_type": _label("data_type", item.get("data_type")),
                "length": _text(item.get("length")),
                "unit": _text(item.get("unit")),
                "disclosure_scope": _label("disclosure_scope", item.get("disclosure_scope")),
            }
        )
    return rows


def view(entry: dict[str, Any]) -> dict[str, Any]:
    """Everything the book prints of an entry, as text."""
    return {
        "resource_code": _text(entry.get("resource_code")),
        "title": _text(entry.get("title")),
        "provider": provider(entry),
        "notes": _text(entry.get("notes")),
        "catalog_category": categories.coded(entry.get("catalog_category")),
        "subject_category": categories.coded(entry.get("subject_category"), subject=True),
        "keywords": keywords(entry),
        "format": format_text(entry),
        "share_type": _label("share_type", entry.get("share_type")),
        "share_condition_label": share_condition_label(entry),
        "share_condition": _text(entry.get("share_condition")),
        "share_method": _label("share_method", entry.get("share_method")),
        "open_to_public": _label("open_to_public", entry.get("open_to_public")),
        "open_condition": _text(entry.get("open_condition")),
        "update_cycle": _label("update_cycle", entry.get("update_cycle")),
        "disclosure_scope": _label("disclosure_scope", entry.get("disclosure_scope")),
        "release_date": release_date(entry),
        "items": items(entry),
    }
