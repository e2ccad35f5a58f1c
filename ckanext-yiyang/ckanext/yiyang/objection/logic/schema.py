"""Schemas of the objection and feedback actions."""

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

from ckanext.yiyang.logic.schema import choice, list_schema, required, unit_id
from ckanext.yiyang.objection import states

#: The list's scopes: all the user may see, raised by the user, to be verified by the user's
#: units (the provider's inbox), or the office's queue (raised or contested).
SCOPES = ("all", "raised", "provided", "office")


def _rating(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """A whole number 1–5."""
    value = data.get(key)
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = 0
    if isinstance(value, bool) or not 1 <= number <= 5:
        errors[key].append(tk._("A rating from 1 to 5"))
        raise tk.StopOnError
    data[key] = number


@tk.validator_args
def create(ignore_empty: Validator, unicode_safe: Validator, strip_value: Validator) -> Schema:
    return {
        "dataset_id": [required(tk._("Name the catalog entry")), unicode_safe, strip_value],
        "kind": [choice(list(states.KINDS), tk._("Choose the kind of objection"))],
        "description": [
            required(tk._("Describe what is wrong")),
            unicode_safe,
            strip_value,
        ],
        "data_item": [ignore_empty, unicode_safe, strip_value],
        "resource_id": [ignore_empty, unicode_safe, strip_value],
        "attachment_url": [ignore_empty, unicode_safe, strip_value],
    }


@tk.validator_args
def objection(not_empty: Validator, unicode_safe: Validator, strip_value: Validator) -> Schema:
    """One objection, by ``id``."""
    return {"id": [not_empty, unicode_safe, strip_value]}


@tk.validator_args
def with_reason(unicode_safe: Validator, strip_value: Validator) -> Schema:
    return {
        **objection(),
        "reason": [required(tk._("Give the reason")), unicode_safe, strip_value],
    }


@tk.validator_args
def optional_reason(
    ignore_missing: Validator, unicode_safe: Validator, strip_value: Validator
) -> Schema:
    return {**objection(), "reason": [ignore_missing, unicode_safe, strip_value]}


@tk.validator_args
def resolve(ignore_empty: Validator, unicode_safe: Validator, strip_value: Validator) -> Schema:
    return {
        **objection(),
        "outcome": [choice(list(states.OUTCOMES), tk._("The outcome is corrected or maintained"))],
        "reason": [ignore_empty, unicode_safe, strip_value],
        "revision": [ignore_empty, unicode_safe, strip_value],
    }


@tk.validator_args
def decide(ignore_empty: Validator, unicode_safe: Validator, strip_value: Validator) -> Schema:
    return {
        **objection(),
        "decision": [choice(["reopen", "uphold"], tk._("The decision is reopen or uphold"))],
        "reason": [required(tk._("Give the reason")), unicode_safe, strip_value],
    }


@tk.validator_args
def objection_list(
    default: ValidatorFactory,
    ignore_empty: Validator,
    unicode_safe: Validator,
    strip_value: Validator,
    one_of: ValidatorFactory,
    boolean_validator: Validator,
) -> Schema:
    return {
        **list_schema(default=50, maximum=500),
        "scope": [default(SCOPES[0]), unicode_safe, one_of(list(SCOPES))],
        "status": [
            default(states.ALL),
            unicode_safe,
            one_of([*states.STATES, states.OPEN_FILTER, states.ALL]),
        ],
        "dataset_id": [ignore_empty, unicode_safe, strip_value],
        "org": [ignore_empty, unicode_safe, strip_value, unit_id],
        "raised_by": [ignore_empty, unicode_safe, strip_value],
        "overdue": [default(False), boolean_validator],
    }


@tk.validator_args
def feedback_create(unicode_safe: Validator, strip_value: Validator) -> Schema:
    return {
        "subscription_id": [
            required(tk._("Name the application")),
            unicode_safe,
            strip_value,
        ],
        "quality": [_rating],
        "timeliness": [_rating],
        "satisfaction": [_rating],
        "outcome": [required(tk._("Describe the outcome of the use")), unicode_safe, strip_value],
    }


@tk.validator_args
def feedback_reply(unicode_safe: Validator, strip_value: Validator) -> Schema:
    return {
        "id": [required(tk._("Missing value")), unicode_safe, strip_value],
        "reply": [required(tk._("Write the reply")), unicode_safe, strip_value],
    }


@tk.validator_args
def feedback_summary(
    ignore_empty: Validator, unicode_safe: Validator, strip_value: Validator
) -> Schema:
    return {
        "dataset_id": [ignore_empty, unicode_safe, strip_value],
        "org": [ignore_empty, unicode_safe, strip_value, unit_id],
    }
