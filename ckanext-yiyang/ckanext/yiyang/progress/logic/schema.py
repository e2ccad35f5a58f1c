"""Schemas of the progress actions."""

from __future__ import annotations

import itertools
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, FlattenDataDict, FlattenErrorDict, FlattenKey, Schema, Validator

from ckanext.yiyang.logic.schema import iso_date, list_schema
from ckanext.yiyang.progress.config import PHASES
from ckanext.yiyang.progress.figures import COUNTS

#: What the table can be sorted by: the notice's order of 附件1, the unit's title (in pinyin
#: order), any count, the last activity, the number of missed milestones.
SORT_KEYS = ("order", "title", *COUNTS, "last_activity", "behind")
DIRECTIONS = ("asc", "desc")
#: The most rows one call returns: the export asks for every unit at once.
MOST_UNITS = 10000


@tk.validator_args
def progress_list(
    ignore_missing: Validator,
    unicode_safe: Validator,
    strip_value: Validator,
    one_of: Any,
    default: Any,
    boolean_validator: Validator,
) -> Schema:
    return {
        "sort": [ignore_missing, unicode_safe, strip_value, one_of(list(SORT_KEYS))],
        "dir": [ignore_missing, unicode_safe, strip_value, one_of(list(DIRECTIONS))],
        "behind": [default(False), boolean_validator],
        # every unit of 附件1 on one page by default (88 and the office's additions); at most
        # every unit of a province's catalog in one call (the Excel export's)
        **list_schema(default=500, maximum=MOST_UNITS),
    }


def _in_order(
    key: FlattenKey, data: FlattenDataDict, errors: FlattenErrorDict, context: Context
) -> None:
    """The deadlines given follow the phases' order (a phase ends after the one before)."""
    days = [
        (phase, data.get((phase,)))
        for phase in PHASES
        if data.get((phase,)) not in (None, tk.missing) and not errors.get((phase,))
    ]
    for (_before, early), (phase, late) in itertools.pairwise(days):
        if late < early:
            errors[(phase,)].append(
                tk._("Must not be before the deadline of the phase before it ({date})").format(
                    date=early.isoformat()
                )
            )


@tk.validator_args
def phase_update(ignore_missing: Validator) -> Schema:
    """Each phase's deadline (YYYY-MM-DD; empty leaves the phase out); phases not given keep
    theirs."""
    schema: dict[str, Any] = {phase: [ignore_missing, iso_date] for phase in PHASES}
    schema["__after"] = [_in_order]
    return schema
