"""Working days on China's official calendar, for deadlines: the review queue (overdue after N
working days, catalog-model §5), the answer to a subscription (10 working days, §7), demands (§8).

Holidays are days off and adjusted weekend days (调休) working days. A date's schedule comes
from, first match wins: the office's file (option ``ckanext.yiyang.workdays_file``), the
packaged ``data/workdays.yaml``, the ``chinesecalendar`` package, and, for a year nobody knows
yet, weekends only — every result that depends on such a year is marked ``provisional``. No
date raises; only a malformed schedule file does (:class:`WorkdaysFileError`, naming the file
and the line), when the calendar is first needed after the file changed: call :func:`check`
at start-up to fail early.

Dates are Chinese office days. Every function takes a ``date`` as is; a ``datetime`` is a moment:
naive means UTC (how CKAN stores time) and it is converted to its date in Asia/Shanghai (UTC+8)
first, so 2026-09-30 17:00 UTC is already 1 October in China. ISO 8601 strings (as CKAN's API
returns them) are read the same way: ``"2026-09-30"`` is a date, ``"2026-09-30T17:00:00"`` a
UTC moment.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
from importlib import resources

import ckan.plugins.toolkit as tk

from ckanext.yiyang.workdays.calendar import (
    LIBRARY,
    WEEKENDS_ONLY,
    Calendar,
    Count,
    Deadline,
    Workday,
)
from ckanext.yiyang.workdays.schedule import Schedule, WorkdaysFileError, parse

__all__ = [
    "LIBRARY",
    "SHANGHAI",
    "WEEKENDS_ONLY",
    "Calendar",
    "Count",
    "DateLike",
    "Deadline",
    "DueStatus",
    "Workday",
    "WorkdaysFileError",
    "add_workdays",
    "age",
    "calendar",
    "check",
    "china_date",
    "due_status",
    "is_overdue",
    "is_workday",
    "office_file",
    "today",
    "workdays_between",
    "year_source",
]

WORKDAYS_FILE_OPTION = "ckanext.yiyang.workdays_file"
PACKAGED_FILE = "data/workdays.yaml"
# China has kept UTC+8 without daylight saving time since 1991: a fixed offset is exact and
# needs no time zone database.
SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")

DateLike = dt.date | dt.datetime | str


@dataclasses.dataclass(frozen=True)
class DueStatus:
    """Where something with a deadline of ``limit`` working days stands on ``today``.

    ``elapsed``: working days since the start (its age). ``remaining``: working days left,
    negative when overdue (how many days late). ``overdue``: more than ``limit`` working days
    have elapsed — from the first working day after the due date.
    """

    deadline: Deadline
    elapsed: Count
    today: dt.date

    @property
    def limit(self) -> int:
        return self.deadline.days

    @property
    def due(self) -> dt.date:
        return self.deadline.due

    @property
    def remaining(self) -> int:
        return self.limit - self.elapsed.days

    @property
    def overdue(self) -> bool:
        return self.elapsed.days > self.limit

    @property
    def provisional(self) -> bool:
        return self.deadline.provisional or self.elapsed.provisional


def china_date(value: DateLike) -> dt.date:
    """The Chinese calendar date of ``value`` (see the module's docstring)."""
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        value = dt.datetime.fromisoformat(text)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.astimezone(SHANGHAI).date()
    return value


def today() -> dt.date:
    """Today's date in China."""
    return dt.datetime.now(SHANGHAI).date()


def is_workday(value: DateLike) -> Workday:
    """Whether ``value`` is a working day, with the holiday's name and ``provisional``."""
    return calendar().day(china_date(value))


def add_workdays(start: DateLike, days: int) -> Deadline:
    """The date ``days`` working days after ``start``, not counting ``start`` itself.

    Submitted on the Friday before 国庆, a 10-day deadline runs from the first working day
    after the holiday. ``days=0`` gives ``start``.

    :raises ValueError: if ``days`` is negative.
    """
    return calendar().add(china_date(start), days)


def workdays_between(start: DateLike, end: DateLike) -> Count:
    """Working days after ``start`` up to and including ``end``; 0 if ``end`` is not later."""
    return calendar().between(china_date(start), china_date(end))


def age(start: DateLike, on: DateLike | None = None) -> Count:
    """How many working days something started at ``start`` is old ``on`` (default today)."""
    return workdays_between(start, today() if on is None else on)


def due_status(start: DateLike, limit_days: int, on: DateLike | None = None) -> DueStatus:
    """The deadline of ``limit_days`` working days from ``start`` and where it stands ``on``
    (default today): one call per row of a list page."""
    current = calendar()
    first = china_date(start)
    day = today() if on is None else china_date(on)
    return DueStatus(
        deadline=current.add(first, limit_days), elapsed=current.between(first, day), today=day
    )


def is_overdue(start: DateLike, limit_days: int, on: DateLike | None = None) -> bool:
    """Whether more than ``limit_days`` working days have elapsed since ``start`` ``on`` (default
    today), i.e. ``on`` is past the due date and a working day has begun since."""
    return workdays_between(start, today() if on is None else on).days > limit_days


def year_source(year: int) -> str:
    """Where the schedule of ``year`` comes from: a file's path, ``chinesecalendar``, or
    ``weekends only`` (not known: results are provisional)."""
    return calendar().year_source(year)


def check() -> Calendar:
    """Read the schedule files now.

    :raises WorkdaysFileError: if one of them is malformed.
    """
    return calendar()


def office_file() -> str:
    """Path of the office's schedule file (``ckanext.yiyang.workdays_file``), or ``""``."""
    value = tk.config.get(WORKDAYS_FILE_OPTION, "") or ""
    return os.path.expanduser(str(value).strip())


def calendar() -> Calendar:
    """The calendar of the current configuration. The office's file is read again when it
    changes (no restart needed); each calendar caches its years."""
    path = office_file()
    if not path:
        return _calendar(None)
    try:
        stat = os.stat(path)
    except OSError as error:
        raise WorkdaysFileError(
            path, None, f"cannot read the file named by {WORKDAYS_FILE_OPTION}: {error.strerror}"
        ) from None
    return _calendar((path, stat.st_mtime_ns, stat.st_size, stat.st_ino))


@functools.lru_cache(maxsize=4)
def _calendar(office: tuple[str, int, int, int] | None) -> Calendar:
    schedules = [_packaged()]
    if office is not None:
        path = office[0]
        try:
            with open(path, encoding="utf-8") as stream:
                text = stream.read()
        except (OSError, UnicodeDecodeError) as error:
            raise WorkdaysFileError(path, None, f"cannot read the file: {error}") from None
        schedules.insert(0, parse(text, path))
    return Calendar(schedules)


@functools.cache
def _packaged() -> Schedule:
    origin = f"ckanext/yiyang/{PACKAGED_FILE}"
    text = resources.files("ckanext.yiyang").joinpath(PACKAGED_FILE).read_text(encoding="utf-8")
    return parse(text, origin)


def latest_overdue_start(today: dt.date, limit_days: int) -> dt.date:
    """The latest day ``d`` with more than ``limit_days`` working days after it up to
    ``today``: something started on ``d`` or earlier is overdue ``today``
    (``workdays_between`` only grows as the start moves back)."""
    day = today
    # Never more than a few weeks back, even across 春节; the bound only guards a calendar
    # without working days.
    for _ in range(limit_days * 7 + 400):
        if workdays_between(day, today).days > limit_days:
            return day
        day -= dt.timedelta(days=1)
    return day
