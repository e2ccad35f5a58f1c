"""Schema of ``yiyang_access_log_list``."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Schema, Validator

from ckanext.yiyang.audit.model import HOWS, OUTCOMES
from ckanext.yiyang.logic.schema import iso_date, list_schema, unit_id


@tk.validator_args
def access_log_list(
    ignore_empty: Validator,
    unicode_safe: Validator,
    strip_value: Validator,
    one_of: Any,
) -> Schema:
    text = [ignore_empty, unicode_safe, strip_value]
    return {
        "dataset_id": text,
        "resource_id": text,
        "org": [*text, unit_id],
        "reader_org": [*text, unit_id],
        "user": text,
        "since": [ignore_empty, iso_date],
        "until": [ignore_empty, iso_date],
        "outcome": [*text, one_of(list(OUTCOMES))],
        "how": [*text, one_of(list(HOWS))],
        **list_schema(default=50, maximum=500),
    }
