"""Schemas of the desk's actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Schema, Validator, ValidatorFactory

#: The most entries one "submit all" takes.
SUBMIT_MAX = 500


@tk.validator_args
def desk_show(default: ValidatorFactory, natural_number_validator: Validator) -> Schema:
    return {"top": [default(5), natural_number_validator, _at_most(20)]}


@tk.validator_args
def submit_many(
    ignore_missing: Validator,
    default: ValidatorFactory,
    boolean_validator: Validator,
    convert_to_list_if_string: Validator,
    list_of_strings: Validator,
) -> Schema:
    return {
        "ids": [ignore_missing, convert_to_list_if_string, list_of_strings, _at_most_ids],
        "all_drafts": [default(False), boolean_validator],
        "__after": [_ids_or_all_drafts],
    }


def _at_most(maximum: int) -> Validator:
    def callable(value: Any) -> Any:
        return min(value, maximum) if isinstance(value, int) else value

    return callable


def _at_most_ids(value: Any) -> Any:
    if isinstance(value, list) and len(value) > SUBMIT_MAX:
        raise tk.Invalid(tk._("At most {n} entries can be submitted at once").format(n=SUBMIT_MAX))
    return value


def _ids_or_all_drafts(key: Any, data: Any, errors: Any, context: Any) -> None:
    if not data.get(("all_drafts",)) and not data.get(("ids",)):
        errors.setdefault(("ids",), []).append(
            tk._("Choose the entries to submit, or all drafts of your units")
        )
