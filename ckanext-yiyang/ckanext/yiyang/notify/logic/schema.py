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
)

from ckanext.yiyang.logic.schema import choice, flag, list_schema
from ckanext.yiyang.notify.model import MAIL_MODES


@tk.validator_args
def notification_list_schema(
    ignore_missing: Validator,
    unicode_safe: Validator,
) -> Schema:
    return {
        **list_schema(default=20, maximum=100),
        "user": [ignore_missing, unicode_safe],
        "unread_only": [flag()],
    }


@tk.validator_args
def preference_show_schema(ignore_missing: Validator, unicode_safe: Validator) -> Schema:
    return {"user": [ignore_missing, unicode_safe]}


@tk.validator_args
def preference_update_schema(ignore_missing: Validator, unicode_safe: Validator) -> Schema:
    return {
        "user": [ignore_missing, unicode_safe],
        "mail_mode": [
            choice(
                MAIL_MODES,
                tk._("Choose how notifications are mailed: immediate or daily digest"),
            )
        ],
    }


@tk.validator_args
def notification_mark_read_schema(
    ignore_missing: Validator,
    convert_to_list_if_string: Validator,
    list_of_strings: Validator,
) -> Schema:
    return {
        "id": [ignore_missing, convert_to_list_if_string, list_of_strings],
        "all": [flag()],
        "__after": [_ids_or_all],
    }


def _ids_or_all(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """Some ids, or ``all``."""
    if not data.get(("all",)) and not data.get(("id",)):
        errors.setdefault(("id",), []).append(tk._("Give the id of a notification, or all=true"))
