"""Schema of the progress action."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Schema, Validator

from ckanext.yiyang.progress.figures import COUNTS

#: What the table can be sorted by: the notice's order of 附件1, the unit's title (in pinyin
#: order), any count, the last activity, the number of missed milestones.
SORT_KEYS = ("order", "title", *COUNTS, "last_activity", "behind")
DIRECTIONS = ("asc", "desc")


@tk.validator_args
def progress_list(
    ignore_missing: Validator, unicode_safe: Validator, strip_value: Validator, one_of: Any
) -> Schema:
    return {
        "sort": [ignore_missing, unicode_safe, strip_value, one_of(list(SORT_KEYS))],
        "dir": [ignore_missing, unicode_safe, strip_value, one_of(list(DIRECTIONS))],
    }
