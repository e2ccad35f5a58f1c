"""Schemas of the portal's actions."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import Schema, Validator

from ckanext.yiyang.logic.schema import list_schema, required


@tk.validator_args
def notice_create(unicode_safe: Validator, strip_value: Validator, default: Validator) -> Schema:
    return {
        "title": [required(tk._("Give the notice a title")), unicode_safe, strip_value],
        "body": [default(""), unicode_safe, strip_value],
    }


@tk.validator_args
def notice_delete(not_empty: Validator, unicode_safe: Validator) -> Schema:
    return {"id": [not_empty, unicode_safe]}


def notice_list() -> Schema:
    return list_schema(default=5, maximum=100)
