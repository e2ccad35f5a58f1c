"""What every action's schema shares: paging, and the checks of required fields, choices and
dates with the messages of their own rules.

Lists take ``limit`` and ``offset`` and return ``{"count": all that match, "results": […]}``;
each list declares its default and its maximum once, here, with :func:`list_schema`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey, Schema, Validator

# Beyond this an offset only makes PostgreSQL overflow (bigint): nothing is that far down a list.
LARGEST_OFFSET = 2**31 - 1
_TRUE = frozenset({"true", "yes", "t", "y", "1", "on"})
_FALSE = frozenset({"false", "no", "f", "n", "0", "off"})


def _whole(value: Any) -> int | None:
    """``value`` as a whole number, or None when it is none (a list, a dict, a flag, a
    fraction, text that is not digits)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d{1,30}\s*", value):
        return int(value)
    return None


def whole_number(default: int | None = None, maximum: int | None = None) -> Validator:
    """A whole number, 0 or more (also written as digits); missing or empty: ``default``
    (None: stays missing). A larger one is lowered to ``maximum``. A list, a dict, true/false,
    a fraction or a negative number is refused, and no validator after this one runs."""

    def callable(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
    ) -> None:
        value = data.get(key, tk.missing)
        if value is tk.missing or value is None or value == "":
            if default is not None:
                data[key] = default
            else:
                data.pop(key, None)
                raise tk.StopOnError
            return
        number = _whole(value)
        if number is None or number < 0:
            errors[key].append(tk._("Must be a whole number, 0 or more"))
            raise tk.StopOnError
        data[key] = number if maximum is None else min(number, maximum)

    return callable


def flag(default: bool = False) -> Validator:
    """true or false (also 1/0, yes/no, on/off); missing or empty: ``default``. Anything else
    — a list, a dict, ``maybe`` — is refused."""

    def callable(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
    ) -> None:
        value = data.get(key, tk.missing)
        if value is tk.missing or value is None or value == "":
            data[key] = default
        elif isinstance(value, bool):
            pass
        elif isinstance(value, int) and value in (0, 1):
            data[key] = bool(value)
        elif isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            data[key] = value.strip().lower() in _TRUE
        else:
            errors[key].append(tk._("Must be true or false"))
            raise tk.StopOnError

    return callable


def at_most(maximum: int) -> Validator:
    """A larger number is lowered to ``maximum`` (a list is cut, not refused)."""

    def callable(value: Any) -> Any:
        # not a number: the validator before it has said so already
        return min(value, maximum) if isinstance(value, int) else value

    return callable


def list_schema(default: int = 50, maximum: int = 500) -> Schema:
    """``limit`` (``default`` when not given, at most ``maximum``) and ``offset`` (default 0);
    both whole numbers, not negative; anything else is refused."""
    return {
        "limit": [whole_number(default, maximum)],
        "offset": [whole_number(0, LARGEST_OFFSET)],
    }


def required(message: str) -> Validator:
    """Like ``not_empty`` (a value of blanks only is empty too), with the message of the rule
    that asks for it (``message``: already translated, the schema is built per call)."""

    def callable(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
    ) -> None:
        value = data.get(key)
        if value is tk.missing or value is None or not str(value).strip():
            errors[key].append(message)
            raise tk.StopOnError

    return callable


def choice(values: Collection[str], message: str) -> Validator:
    """One of ``values`` (an empty or missing value is none of them), else ``message``."""

    def callable(
        key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
    ) -> None:
        if data.get(key) not in values:
            errors[key].append(message)
            raise tk.StopOnError

    return callable


def iso_date(value: Any) -> datetime.date | None:
    """A day written ``YYYY-MM-DD`` (a time after it is ignored) as a date; empty: None."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        raise tk.Invalid(tk._("Must be a date (YYYY-MM-DD)")) from None


def comma_list(value: Any) -> Any:
    """A list, or a string of comma-separated names as the list of its names."""
    if isinstance(value, str):
        return [name.strip() for name in value.split(",") if name.strip()]
    return value


def unit_id(value: Any, context: Context) -> str:
    """An active unit (organization) named by its id or name, as its id."""
    group = model.Group.get(str(value)) if value else None
    if group is None or not group.is_organization or group.state != "active":
        raise tk.Invalid(tk._("Unknown unit"))
    return group.id


def validate(data_dict: dict[str, Any], schema: Schema, context: Context) -> dict[str, Any]:
    """``data_dict`` validated by ``schema``, or :class:`tk.ValidationError` keyed by field."""
    data, errors = tk.navl_validate(dict(data_dict), schema, context)
    if errors:
        raise tk.ValidationError(errors)
    return data
