"""Schemas of the subscription actions."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import Schema, Validator, ValidatorFactory

from ckanext.yiyang.logic.schema import (
    choice,
    comma_list,
    flag,
    iso_date,
    list_schema,
    required,
    unit_id,
)
from ckanext.yiyang.subscription import config, states
from ckanext.yiyang.subscription.workflow import PURPOSES

#: The lists: the user's units' applications, those to decide, the office's escalations,
#: the office's compliance reviews.
SCOPES = ("applied", "received", "escalated", "checks")


def _details(
    ignore_missing: Validator, default: ValidatorFactory, unicode_safe: Validator
) -> Schema:
    """依据, 应用场景, 使用范围: required (``require_basis``), each error naming its field."""
    _ = tk._
    messages = {
        "basis": _("Basis (依据): give the law or policy the application rests on"),
        "scenario": _("Scenario (应用场景): describe where the data will be used"),
        "scope_of_use": _("Scope of use (使用范围): say who will use the data and how far"),
    }
    needed = config.require_basis()
    return {
        name: [required(message) if needed else default(""), unicode_safe, _strip]
        for name, message in messages.items()
    }


def _strip(value: str) -> str:
    return value.strip()


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
        **_details(ignore_missing, default, unicode_safe),
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
        "status": [
            ignore_missing,
            unicode_safe,
            strip_value,
            states.stored,
            one_of(list(states.STATES)),
        ],
        "dataset_id": [ignore_missing, unicode_safe, strip_value],
    }


@tk.validator_args
def check(unicode_safe: Validator, ignore_missing: Validator) -> Schema:
    """The office's compliance review: ``passed``; failing needs an ``opinion``."""
    return {
        **subscription(),
        "passed": [flag(False)],
        "opinion": [ignore_missing, unicode_safe, _strip],
    }


@tk.validator_args
def message(unicode_safe: Validator) -> Schema:
    """A message of the negotiation thread."""
    return {
        **subscription(),
        "message": [required(tk._("Write the message")), unicode_safe, _strip],
    }


@tk.validator_args
def office_decision(unicode_safe: Validator) -> Schema:
    """The office's binding decision: ``granted`` or not, and why."""
    return {
        **subscription(),
        "granted": [flag(False)],
        "reason": [required(tk._("Give the reason for the decision")), unicode_safe, _strip],
    }


@tk.validator_args
def revoke(unicode_safe: Validator) -> Schema:
    return {
        **subscription(),
        "reason": [required(tk._("Give the reason for revoking")), unicode_safe, _strip],
    }


@tk.validator_args
def renew(
    ignore_missing: Validator,
    default: ValidatorFactory,
    unicode_safe: Validator,
    list_of_strings: Validator,
) -> Schema:
    """A renewal: the new last day of use (required), the 信息项 (default: the grant's)."""
    return {
        **subscription(),
        "valid_until": [required(tk._("Give the new last day of use")), iso_date],
        "data_item_names": [ignore_missing, comma_list, list_of_strings],
        "purpose_detail": [ignore_missing, unicode_safe, _strip],
    }
