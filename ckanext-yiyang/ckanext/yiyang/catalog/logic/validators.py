"""Validators of the catalog entry schema (schemas/dataset.yaml).

An entry whose CKAN ``state`` is ``draft`` may be incomplete; every rule applies to every other
save (submission for review, changes of a published entry, API writes). Errors are attached to
the field they are about and say what is wrong; messages are English msgids translated to
Chinese by our catalog.
"""

from __future__ import annotations

import json
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.navl.dictization_functions import StopOnError, missing
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey

from ckanext.yiyang.catalog import categories, codes, schema

_ = tk._
ITEMS = "data_items"


def _value(data: FlattenDataDict, name: str) -> Any:
    value = data.get((name,), missing)
    return None if value is missing or value == "" else value


def _empty(value: Any) -> bool:
    if isinstance(value, dict):  # e.g. a row's `__extras`: the form's hidden template fields
        return all(_empty(v) for v in value.values())
    return value is missing or value is None or value == "" or value == []


def is_draft(data: FlattenDataDict, context: Context) -> bool:
    """The entry being saved is a CKAN draft (an incomplete form or import)."""
    state = _value(data, "state")
    if state is None and context.get("package") is not None:
        state = context["package"].state
    return state == "draft"


def _error(errors: FlattenErrorDict, key: FlattenKey, message: str) -> None:
    errors.setdefault(key, []).append(message)


def yiyang_required(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Required, except in a draft (where a missing value is simply left out)."""
    if _empty(data.get(key, missing)):
        if not is_draft(data, context):
            _error(errors, key, _("Missing value"))
        data.pop(key, None)
        raise StopOnError


def yiyang_keywords(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """At least one keyword (关键字), given as ``tag_string`` or as ``tags``."""
    has_tags = any(k[0] == "tags" and k[-1] == "name" and data[k] for k in data)
    if _empty(data.get(key, missing)) and not has_tags and not is_draft(data, context):
        _error(errors, key, _("Give at least one keyword"))


def yiyang_catalog_category(value: Any, context: Context) -> Any:
    if not categories.is_assignable(str(value)):
        raise tk.Invalid(
            _("{code} is not a category of the catalog classification").format(code=value)
        )
    return str(value)


def yiyang_subject_category(value: Any, context: Context) -> Any:
    if str(value) not in categories.subject_classes():
        raise tk.Invalid(_("{code} is not a subject class of GB/T 21063.4").format(code=value))
    return str(value)


def yiyang_share_condition(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """共享条件 (or, when not shared, 不予共享依据) is required unless the entry is shared freely."""
    share_type = _value(data, "share_type")
    if share_type in schema.SHARE_CONDITION_REQUIRED_FOR and _empty(data.get(key, missing)):
        if is_draft(data, context):
            return
        if share_type == "none":
            _error(errors, key, _("Give the legal or policy basis for not sharing"))
        else:
            _error(errors, key, _("Give the conditions of sharing"))


def yiyang_share_method(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """共享方式 is required unless the entry is not shared, and then it is dropped."""
    share_type = _value(data, "share_type")
    if share_type == "none":
        data.pop(key, None)
        raise StopOnError
    if _empty(data.get(key, missing)):
        if share_type and not is_draft(data, context):
            _error(errors, key, _("Choose how the resource is shared"))
        data.pop(key, None)
        raise StopOnError


def yiyang_open_condition(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """开放条件 is required when the resource is open to the public."""
    if (
        _value(data, "open_to_public") == "yes"
        and _empty(data.get(key, missing))
        and not is_draft(data, context)
    ):
        _error(errors, key, _("Give the conditions of opening to the public"))


def yiyang_positive_int(value: Any, context: Context) -> Any:
    if _empty(value):
        return value
    try:
        number = int(str(value).strip())
    except ValueError:
        raise tk.Invalid(_("Must be a whole number")) from None
    if number <= 0:
        raise tk.Invalid(_("Must be greater than zero"))
    return number


def yiyang_related_codes(value: Any, context: Context) -> Any:
    """关联资源代码: a list of resource codes of entries that exist."""
    if _empty(value):
        return value
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = [v for v in value.replace("，", ",").replace(",", " ").split() if v]
        value = parsed if isinstance(parsed, list) else [parsed]
    wanted = [str(v).strip() for v in value if str(v).strip()]
    unknown = [
        c for c in wanted if not codes.is_resource_code(c) or not codes.package_id_by_code(c)
    ]
    if unknown:
        raise tk.Invalid(
            _("No entry has the resource code {codes}").format(codes="、".join(unknown))
        )
    return list(dict.fromkeys(wanted))


def yiyang_harvest_readonly(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """A harvested entry (one with ``harvest_source_url``) is read-only: every save of it but
    its harvest's (``context["yiyang_harvest"]``) is refused, whatever path it takes (a form,
    the API, a pending revision of review). See ckanext.yiyang.harvest."""
    package = context.get("package")
    if context.get("yiyang_harvest") or package is None:
        return
    source = package.extras.get("harvest_source_url")
    if source:
        errors[key].append(
            _(
                "This entry was harvested from {source}: it is read-only here and changes "
                "only with its source"
            ).format(source=source)
        )
        raise StopOnError


def yiyang_system_field(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """A value only the system sets (resource_code, metadata_id, release_date, review_status).

    Whatever the caller sent is replaced by the value our actions decided for this save
    (``context["yiyang_system"]``), else by the stored one; it is never taken from input.
    """
    field = key[-1]
    decided: dict[str, Any] = context.get("yiyang_system") or {}
    if field in decided:
        value = decided[field]
    else:
        package = context.get("package")
        value = package.extras.get(field) if package is not None else None
    if _empty(value):
        data.pop(key, None)
        raise StopOnError
    data[key] = value


def _item_indexes(data: FlattenDataDict) -> list[int]:
    return sorted({k[1] for k in data if len(k) == 3 and k[0] == ITEMS})


def _row_is_blank(data: FlattenDataDict, index: int) -> bool:
    return all(
        _empty(v) for k, v in data.items() if len(k) == 3 and k[0] == ITEMS and k[1] == index
    )


def yiyang_item_required(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Required in a 信息项 row, unless the whole row is blank (the form always offers blank
    rows; ``yiyang_check_items`` removes them)."""
    if _empty(data.get(key, missing)):
        if not _row_is_blank(data, key[1]):
            _error(errors, key, _("Missing value"))
        raise StopOnError


def _drop_blank_rows(data: FlattenDataDict, errors: FlattenErrorDict) -> None:
    """Remove blank 信息项 rows; renumber the others when none has an error (with errors the
    form is shown again, and its rows must keep the numbers the errors refer to)."""
    blank = [i for i in _item_indexes(data) if _row_is_blank(data, i)]
    for key in [k for k in data if len(k) == 3 and k[0] == ITEMS and k[1] in blank]:
        del data[key]
    if any(v for k, v in errors.items() if k and k[0] == ITEMS):
        return
    rows: dict[int, dict[str, Any]] = {}
    for k in [k for k in data if len(k) == 3 and k[0] == ITEMS]:
        rows.setdefault(k[1], {})[k[2]] = data.pop(k)
    for new_index, (_old, row) in enumerate(sorted(rows.items())):
        for name, value in row.items():
            data[(ITEMS, new_index, name)] = value


def yiyang_check_items(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """After validation: the rules that look at several 信息项 or at the entry as a whole."""
    _drop_blank_rows(data, errors)
    draft = is_draft(data, context)
    indexes = _item_indexes(data)
    entry_scope = _value(data, "disclosure_scope")
    seen: dict[str, int] = {}
    for i in indexes:
        name = data.get((ITEMS, i, "name"))
        if isinstance(name, str) and name.strip():
            folded = name.strip().casefold()
            if folded in seen:
                _error(
                    errors,
                    (ITEMS, i, "name"),
                    _("The data item name {name} is used twice").format(name=name.strip()),
                )
            seen.setdefault(folded, i)
        data_type = data.get((ITEMS, i, "data_type"))
        if (
            data_type in schema.LENGTH_REQUIRED_FOR
            and _empty(data.get((ITEMS, i, "length"), missing))
            and not draft
        ):
            _error(errors, (ITEMS, i, "length"), _("Give the length of string and binary items"))
        if _empty(data.get((ITEMS, i, "disclosure_scope"), missing)) and entry_scope:
            data[(ITEMS, i, "disclosure_scope")] = entry_scope
    if not indexes and _value(data, "format_class") in schema.ITEMS_REQUIRED_FOR and not draft:
        _error(
            errors,
            (ITEMS,),
            _("Describe at least one data item of a spreadsheet or database resource"),
        )
