"""目录与数据一致性: a loaded table's columns against the entry's 信息项 (name, data type, length)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.yiyang.data import model

#: DataStore column types as the catalog's data types (catalog/schema.py DATA_TYPES).
DATASTORE_TYPES = {
    "int": "integer",
    "int4": "integer",
    "int8": "integer",
    "bigint": "integer",
    "integer": "integer",
    "numeric": "numeric",
    "float8": "numeric",
    "float4": "numeric",
    "timestamp": "datetime",
    "date": "datetime",
    "time": "datetime",
    "text": "string",
    "bool": "string",
    "bytea": "binary",
}

#: A declared type (key) that a column of these found types satisfies: a string item may hold
#: digits, a numeric item integers.
COMPATIBLE = {
    "string": {"string", "integer", "numeric", "datetime"},
    "numeric": {"numeric", "integer"},
    "integer": {"integer"},
    "datetime": {"datetime"},
    "binary": {"binary", "string"},
}


def compare(items: list[dict[str, Any]], columns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The differences between the declared 信息项 and the columns found, each
    ``{item, problem, declared, found}``; problem one of ``missing_column`` (declared, not in
    the file), ``undeclared_column`` (in the file, not declared), ``type``, ``length``."""
    found = {column["id"]: column for column in columns}
    declared_names = set()
    differences: list[dict[str, Any]] = []
    for item in items:
        name = (item.get("name") or "").strip()
        if not name:
            continue
        declared_names.add(name)
        column = found.get(name)
        if column is None:
            differences.append(
                {"item": name, "problem": "missing_column", "declared": None, "found": None}
            )
            continue
        declared_type = item.get("data_type") or "string"
        if column["type"] not in COMPATIBLE.get(declared_type, {declared_type}):
            differences.append(
                {
                    "item": name,
                    "problem": "type",
                    "declared": declared_type,
                    "found": column["type"],
                }
            )
        length = _int(item.get("length"))
        if length and column.get("length") and column["length"] > length:
            differences.append(
                {"item": name, "problem": "length", "declared": length, "found": column["length"]}
            )
    for column in columns:
        if column["id"] not in declared_names:
            differences.append(
                {
                    "item": column["id"],
                    "problem": "undeclared_column",
                    "declared": None,
                    "found": column["type"],
                }
            )
    return differences


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def check(resource_id: str, columns: list[dict[str, Any]] | None = None) -> dict[str, Any] | None:
    """Compare and keep the result; ``columns`` as the load found them, else as last kept.
    Returns the kept result, or ``None`` for a resource never loaded."""
    if columns is None:
        known = model.consistency(resource_id)
        if known is None:
            return None
        columns = known.columns
    context = {"ignore_auth": True}
    resource = tk.get_action("resource_show")(dict(context), {"id": resource_id})
    package = tk.get_action("package_show")(dict(context), {"id": resource["package_id"]})
    differences = compare(package.get("data_items") or [], columns)
    status = "differs" if differences else "consistent"
    model.set_consistency(resource_id, package["id"], status, differences, columns)
    return {"status": status, "differences": differences}


def describe(difference: dict[str, Any]) -> str:
    """A difference in words, in the reader's language."""
    from ckanext.yiyang.catalog.schema import DATA_TYPES

    labels = {c["value"]: c["label"] for c in DATA_TYPES}

    def label(value: Any) -> str:
        text = labels.get(value)
        if isinstance(text, dict):
            lang = tk.h.lang() or "zh_Hans_CN"
            return str(text.get(lang) or text.get("zh_Hans_CN") or value)
        return str(value)

    problem = difference["problem"]
    if problem == "missing_column":
        return tk._("The data item “{item}” is not a column of the file.").format(**difference)
    if problem == "undeclared_column":
        return tk._("The file's column “{item}” is not a declared data item.").format(**difference)
    if problem == "type":
        return tk._("“{item}”: declared {declared}, the file holds {found}.").format(
            item=difference["item"],
            declared=label(difference["declared"]),
            found=label(difference["found"]),
        )
    return tk._(
        "“{item}”: declared length {declared}, the file has values of length {found}."
    ).format(**difference)
