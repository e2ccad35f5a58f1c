"""Typed access to the options of the progress view (``config_declaration.yaml`` here)."""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk

#: The phases of the notice's 时间安排, in order; each has the option
#: ``ckanext.yiyang.progress.deadline.<phase>``.
PHASES = ("preparation", "report", "review", "sorting", "platform", "launch")
OPTION = "ckanext.yiyang.progress.deadline.{phase}"


class DeadlineError(ValueError):
    """A deadline option that is not a date."""


def deadline(phase: str) -> datetime.date | None:
    """The last day of ``phase`` (a Chinese office day), or None when the option is empty.

    :raises DeadlineError: if the option is not a YYYY-MM-DD date, naming the option.
    """
    key = OPTION.format(phase=phase)
    value = tk.config.get(key)
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DeadlineError(f"{key} = {value!r}: give the date as YYYY-MM-DD") from None


def deadlines() -> dict[str, datetime.date]:
    """The configured deadlines by phase (phases with an empty option left out)."""
    found = {}
    for phase in PHASES:
        day = deadline(phase)
        if day is not None:
            found[phase] = day
    return found
