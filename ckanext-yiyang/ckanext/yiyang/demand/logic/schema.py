"""Schemas of the demand actions."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import Schema, Validator, ValidatorFactory

from ckanext.yiyang.catalog.schema import UPDATE_CYCLES
from ckanext.yiyang.demand import config, states
from ckanext.yiyang.logic.schema import list_schema, required, unit_id, whole_number

FREQUENCIES = [c["value"] for c in UPDATE_CYCLES]
#: The lists: all the user may see, raised by the user's units, to be answered by them, or
#: without a provider (the office's queue).
ROLES = ("all", "requested", "provided", "unrouted")


@tk.validator_args
def create(
    not_empty: Validator,
    ignore_empty: Validator,
    unicode_safe: Validator,
    strip_value: Validator,
    one_of: ValidatorFactory,
) -> Schema:
    """The fields of 附件2 数据需求调研表."""
    return {
        "title": [not_empty, unicode_safe, strip_value],
        "provider_org": [ignore_empty, unicode_safe, strip_value, unit_id],
        "requester_org": [ignore_empty, unicode_safe, strip_value, unit_id],
        "content": [not_empty, unicode_safe, strip_value],
        "purpose": [not_empty, unicode_safe, strip_value],
        "update_frequency": [not_empty, unicode_safe, one_of(FREQUENCIES)],
    }


@tk.validator_args
def demand(not_empty: Validator, unicode_safe: Validator, strip_value: Validator) -> Schema:
    """One demand, by ``id``: show, accept."""
    return {"id": [not_empty, unicode_safe, strip_value]}


@tk.validator_args
def route(unicode_safe: Validator, strip_value: Validator) -> Schema:
    return {
        **demand(),
        "provider_org": [required(tk._("Missing value")), unicode_safe, strip_value, unit_id],
    }


@tk.validator_args
def fulfil(unicode_safe: Validator, strip_value: Validator) -> Schema:
    return {
        **demand(),
        "dataset_id": [
            required(tk._("Name the entry that meets the demand")),
            unicode_safe,
            strip_value,
        ],
    }


@tk.validator_args
def reject(unicode_safe: Validator, strip_value: Validator) -> Schema:
    return {
        **demand(),
        "reason": [
            required(tk._("Give the reason why the demand cannot be met")),
            unicode_safe,
            strip_value,
        ],
    }


@tk.validator_args
def close(ignore_missing: Validator, unicode_safe: Validator, strip_value: Validator) -> Schema:
    return {**demand(), "reason": [ignore_missing, unicode_safe, strip_value]}


@tk.validator_args
def comment(unicode_safe: Validator, strip_value: Validator) -> Schema:
    return {**demand(), "body": [required(tk._("Missing value")), unicode_safe, strip_value]}


@tk.validator_args
def demand_list(
    default: ValidatorFactory, unicode_safe: Validator, one_of: ValidatorFactory
) -> Schema:
    return {
        **list_schema(default=50, maximum=500),
        "role": [default(ROLES[0]), unicode_safe, one_of(list(ROLES))],
        "status": [
            default(states.ALL),
            unicode_safe,
            one_of([*states.STATES, states.OPEN_FILTER, states.ALL]),
        ],
    }


@tk.validator_args
def suggest(
    default: ValidatorFactory,
    unicode_safe: Validator,
) -> Schema:
    return {
        "q": [default(""), unicode_safe],
        "limit": [whole_number(config.suggest_max(), 20)],
    }
