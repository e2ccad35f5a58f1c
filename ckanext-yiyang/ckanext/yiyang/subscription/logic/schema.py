"""Schemas of the subscription actions."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import Schema, Validator, ValidatorFactory

from ckanext.yiyang.logic.schema import (
    choice,
    comma_list,
    iso_date,
    list_schema,
    required,
    unit_id,
)
from ckanext.yiyang.subscription import states
from ckanext.yiyang.subscription.workflow import PURPOSES

#: The lists: the user's units' applications, those to decide, the office's escalations.
SCOPES = ("applied", "received", "escalated")


@tk.validator_args
def create(
    ignore_missing: Validator,
    ignore_empty: Validator,
    default: ValidatorFactory,
    unicode_safe: Validator,
    strip_value: Validator,
    list_of_strings: Validator,
) -> Schema:
    return {
        "dataset_id": [ignore_missing, unicode_safe, strip_value],
        "id": [ignore_missing, unicode_safe, strip_value],
        "purpose": [
            default(""),
            unicode_safe,
            strip_value,
            choice(PURPOSES, tk._("Choose the use of the data")),
        ],
        "purpose_detail": [
            required(tk._("Describe what the data is for")),
            unicode_safe,
            strip_value,
        ],
        "data_item_names": [default([]), comma_list, list_of_strings],
        "valid_until": [ignore_missing, iso_date],
        "applicant_org": [ignore_empty, unicode_safe, strip_value, unit_id],
    }


@tk.validator_args
def subscription(not_empty: Validator, unicode_safe: Validator, strip_value: Validator) -> Schema:
    """One application, by ``id``."""
    return {"id": [not_empty, unicode_safe, strip_value]}


@tk.validator_args
def decide(ignore_missing: Validator, unicode_safe: Validator, strip_value: Validator) -> Schema:
    """approve, cancel: an optional remark; approve: an optional last day of use."""
    return {
        **subscription(),
        "reason": [ignore_missing, unicode_safe, strip_value],
        "valid_until": [ignore_missing, iso_date],
    }


@tk.validator_args
def reject(unicode_safe: Validator, strip_value: Validator) -> Schema:
    return {
        **subscription(),
        "reason": [required(tk._("Give the reason for rejecting")), unicode_safe, strip_value],
    }


@tk.validator_args
def subscription_list(
    default: ValidatorFactory,
    ignore_missing: Validator,
    unicode_safe: Validator,
    strip_value: Validator,
    one_of: ValidatorFactory,
) -> Schema:
    return {
        **list_schema(default=100, maximum=500),
        "scope": [default(SCOPES[0]), unicode_safe, one_of(list(SCOPES))],
        "status": [ignore_missing, unicode_safe, strip_value, one_of(list(states.STATES))],
        "dataset_id": [ignore_missing, unicode_safe, strip_value],
    }
