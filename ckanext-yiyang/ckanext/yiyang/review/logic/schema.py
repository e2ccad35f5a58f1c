"""Schemas of the review actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Schema, Validator, ValidatorFactory

from ckanext.yiyang.logic.schema import iso_date, list_schema, required, unit_id
from ckanext.yiyang.review import states


@tk.validator_args
def entry(not_empty: Validator, unicode_safe: Validator, strip_value: Validator) -> Schema:
    """An entry named by ``id`` (its id or name)."""
    return {"id": [not_empty, unicode_safe, strip_value]}


def history() -> Schema:
    """history: an entry, and ``limit``/``offset`` like every list."""
    return {**entry(), **list_schema(default=100, maximum=500)}


@tk.validator_args
def transition(
    ignore_missing: Validator, unicode_safe: Validator, strip_value: Validator
) -> Schema:
    """submit, approve: an optional opinion; approve: the version decided on (optional)."""
    return {
        **entry(),
        "opinion": [ignore_missing, unicode_safe, strip_value],
        "version": [ignore_missing, unicode_safe, strip_value],
    }


@tk.validator_args
def return_(ignore_missing: Validator, unicode_safe: Validator, strip_value: Validator) -> Schema:
    """return: the opinion that goes back to the unit is required."""
    return {
        **entry(),
        "version": [ignore_missing, unicode_safe, strip_value],
        "opinion": [
            required(tk._("Write the opinion that goes back to the unit")),
            unicode_safe,
            strip_value,
        ],
    }


@tk.validator_args
def withdraw(unicode_safe: Validator, strip_value: Validator) -> Schema:
    """withdraw: the reason is required."""
    return {
        **entry(),
        "reason": [required(tk._("Give the reason for withdrawing")), unicode_safe, strip_value],
    }


@tk.validator_args
def review_list(
    default: ValidatorFactory,
    ignore_missing: Validator,
    ignore_empty: Validator,
    unicode_safe: Validator,
    strip_value: Validator,
    one_of: ValidatorFactory,
) -> Schema:
    return {
        **list_schema(default=50, maximum=500),
        "status": [
            default(states.SUBMITTED),
            unicode_safe,
            one_of([*states.QUEUE_STATES, states.ALL]),
        ],
        "unit": [ignore_empty, unicode_safe, strip_value, unit_id],
        "kind": [ignore_missing, unicode_safe, one_of(["entry", "revision"])],
        "q": [ignore_empty, unicode_safe, strip_value],
        "submitter": [ignore_empty, unicode_safe, strip_value, user_id],
        "submitted_from": [ignore_empty, iso_date],
        "submitted_to": [ignore_empty, iso_date],
    }


def user_id(value: Any) -> str:
    """A user named by id or name, as the id."""
    user = model.User.get(str(value))
    if user is None or user.state == model.State.DELETED:
        raise tk.Invalid(tk._("Unknown user"))
    return user.id
