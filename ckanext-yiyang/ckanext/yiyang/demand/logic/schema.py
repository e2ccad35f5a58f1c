"""Schemas of the demand actions."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Schema, Validator

from ckanext.yiyang.catalog.schema import UPDATE_CYCLES

FREQUENCIES = [c["value"] for c in UPDATE_CYCLES]


@tk.validator_args
def create(
    not_empty: Validator,
    ignore_missing: Validator,
    unicode_safe: Validator,
    strip_value: Validator,
    one_of: Any,
) -> Schema:
    """The fields of 附件2 数据需求调研表."""
    return {
        "title": [not_empty, unicode_safe, strip_value],
        "provider_org": [ignore_missing, unicode_safe, strip_value],
        "requester_org": [ignore_missing, unicode_safe, strip_value],
        "content": [not_empty, unicode_safe, strip_value],
        "purpose": [not_empty, unicode_safe, strip_value],
        "update_frequency": [not_empty, unicode_safe, one_of(FREQUENCIES)],
    }
