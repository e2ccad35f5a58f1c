"""Schemas of the service account actions."""

from __future__ import annotations

import datetime
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey, Schema, Validator

from ckanext.yiyang import config
from ckanext.yiyang.logic.schema import _whole, list_schema, required, unit_id, whole_number

NAME = re.compile(r"[a-z0-9][a-z0-9_-]{1,39}")


def account_name(value: Any) -> str:
    text = str(value or "").strip().lower()
    if not NAME.fullmatch(text):
        raise tk.Invalid(
            tk._(
                "Name of the service account: 2 to 40 lower-case letters, digits, - or _, "
                "starting with a letter or digit"
            )
        )
    return text


def expiry(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """``expires_at`` (a day, the token is valid until its end, China time) or
    ``expires_in_days``; neither: ``ckanext.yiyang.services.default_days``. Replaced by
    ``expires`` (UTC, naive, as CKAN stores time)."""
    at = data.get(("expires_at",))
    days = data.get(("expires_in_days",))
    now = datetime.datetime.utcnow()
    longest = config.services_max_days()
    if at not in (None, "", tk.missing):
        try:
            day = datetime.date.fromisoformat(str(at).strip()[:10])
        except ValueError:
            errors[("expires_at",)].append(tk._("Expiry date: must be a date (YYYY-MM-DD)"))
            return
        # the end of that day in China (UTC+8)
        until = datetime.datetime.combine(day, datetime.time()) + datetime.timedelta(hours=16)
        if until <= now:
            errors[("expires_at",)].append(tk._("Expiry date: must be a day after today"))
            return
        if until - now > datetime.timedelta(days=longest + 1):
            errors[("expires_at",)].append(
                tk._("Expiry date: at most {days} days from now").format(days=longest)
            )
            return
        data[key] = until
        return
    if days in (None, "", tk.missing):
        days = config.services_default_days()
    # (navl runs the keys in their sorted order: ``expires_in_days`` is not converted yet)
    days = _whole(days)
    if days is None or not 1 <= days <= longest:
        errors[("expires_in_days",)].append(
            tk._("Validity in days: a whole number from 1 to {days}").format(days=longest)
        )
        return
    data[key] = now + datetime.timedelta(days=days)


def _strip(value: Any) -> str:
    return str(value or "").strip()


@tk.validator_args
def account_create_schema(ignore_missing: Validator, unicode_safe: Validator) -> Schema:
    return {
        "org_id": [required(tk._("Unit: missing value")), unit_id],
        "name": [required(tk._("Name of the service account: missing value")), account_name],
        "title": [required(tk._("Title of the service account: missing value")), _strip],
        "expires_in_days": [ignore_missing, whole_number()],
        "expires_at": [ignore_missing, unicode_safe],
        "expires": [expiry],
    }


@tk.validator_args
def account_list_schema(ignore_missing: Validator) -> Schema:
    return {**list_schema(default=50, maximum=500), "org_id": [ignore_missing, unit_id]}


def account_revoke_schema() -> Schema:
    return {"id": [required(tk._("Service account: missing value")), _strip]}
