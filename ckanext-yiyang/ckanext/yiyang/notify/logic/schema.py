"""Schemas of the notification actions."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import (
    Context,
    FlattenDataDict,
    FlattenErrorDict,
    FlattenKey,
    Schema,
    Validator,
    ValidatorFactory,
)


@tk.validator_args
def notification_list_schema(
    ignore_missing: Validator,
    unicode_safe: Validator,
    default: ValidatorFactory,
    boolean_validator: Validator,
    natural_number_validator: Validator,
    limit_to_configured_maximum: ValidatorFactory,
) -> Schema:
    return {
        "user": [ignore_missing, unicode_safe],
        "unread_only": [default(False), boolean_validator],
        "limit": [
            default(20),
            natural_number_validator,
            limit_to_configured_maximum("ckanext.yiyang.notify.list_max", 100),
        ],
        "offset": [default(0), natural_number_validator],
    }


@tk.validator_args
def notification_mark_read_schema(
    ignore_missing: Validator,
    default: ValidatorFactory,
    boolean_validator: Validator,
    convert_to_list_if_string: Validator,
    list_of_strings: Validator,
) -> Schema:
    return {
        "id": [ignore_missing, convert_to_list_if_string, list_of_strings],
        "all": [default(False), boolean_validator],
        "__after": [_ids_or_all],
    }


def _ids_or_all(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Some ids, or ``all``."""
    if not data.get(("all",)) and not data.get(("id",)):
        errors.setdefault(("id",), []).append(tk._("Give the id of a notification, or all=true"))
