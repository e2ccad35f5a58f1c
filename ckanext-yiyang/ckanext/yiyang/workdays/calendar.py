"""The working-day calendar: schedules in order of precedence, then chinesecalendar, then
weekends only (provisional). Each year is resolved once into a table of its days, so that a
list page computing a thousand deadlines does no more than index lookups."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import threading
from collections.abc import Sequence

import chinese_calendar

from ckanext.yiyang.workdays.schedule import Schedule

LIBRARY = "chinesecalendar"
WEEKENDS_ONLY = "weekends only"

# chinesecalendar names holidays in English (and its Chinese names are short: 清明, 端午);
# the State Council's notices say these.
_LIBRARY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


@dataclasses.dataclass(frozen=True)
class Workday:
    """One date of the calendar.

    ``holiday`` is the name of the holiday the date belongs to: a day off of it, or (with
    ``adjusted``) a weekend day worked to make up for it (调休上班). ``provisional`` means the
    year's official schedule is not known and only weekends were taken off. ``source`` says
    where the answer comes from (a file's path, ``chinesecalendar`` or ``weekends only``).
    """

    day: dt.date
    working: bool
    provisional: bool
    holiday: str | None = None
    adjusted: bool = False
    source: str = WEEKENDS_ONLY

    def __bool__(self) -> bool:
        # `if is_workday(day):` must mean what it says.
        return self.working


@dataclasses.dataclass(frozen=True)
class Deadline:
    """``due`` is ``days`` working days after ``start`` (not counting ``start`` itself).

    ``provisional``: a day between them lies in a year whose schedule is not known yet, so the
    due date may move once the schedule is entered.
    """

    start: dt.date
    days: int
    due: dt.date
    provisional: bool


@dataclasses.dataclass(frozen=True)
class Count:
    """A number of working days; ``provisional`` as for :class:`Deadline`."""

    days: int
    provisional: bool

    def __int__(self) -> int:
        return self.days


@dataclasses.dataclass(frozen=True)
class _Year:
    """The resolved days of one year, indexed by day of the year (0-based)."""

    first: int  # ordinal of 1 January
    days: tuple[Workday, ...]
    # working[i] / unknown[i]: working / provisional days among days 0..i-1 (prefix sums)
    working: tuple[int, ...]
    unknown: tuple[int, ...]


def _prefix(flags: Sequence[bool]) -> tuple[int, ...]:
    return (0, *itertools.accumulate(int(flag) for flag in flags))


def _library_day(day: dt.date) -> Workday | None:
    """What chinesecalendar says of ``day``; None for a year it does not know."""
    try:
        off, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:  # its way of saying "year not covered"
        return None
    weekend = day.weekday() >= 5
    holiday = _LIBRARY_NAMES.get(name, name) if name else None
    return Workday(
        day=day,
        working=not off,
        provisional=False,
        holiday=holiday,
        adjusted=weekend and not off,
        source=LIBRARY,
    )


class Calendar:
    """Working days from ``schedules`` (first wins), then chinesecalendar (if ``library``),
    then weekends only. Immutable once built; safe to share between threads."""

    def __init__(self, schedules: Sequence[Schedule] = (), *, library: bool = True) -> None:
        self.schedules = tuple(schedules)
        self.library = library
        self._years: dict[int, _Year] = {}
        self._lock = threading.Lock()

    def _resolve(self, day: dt.date) -> Workday:
        weekday = day.weekday() < 5
        for schedule in self.schedules:
            entry = schedule.days.get(day)
            if entry is not None:
                return Workday(
                    day=day,
                    working=entry.working,
                    provisional=False,
                    holiday=entry.holiday,
                    adjusted=entry.working and not weekday,
                    source=schedule.origin,
                )
            if day.year in schedule.years:
                return Workday(day=day, working=weekday, provisional=False, source=schedule.origin)
        if self.library:
            known = _library_day(day)
            if known is not None:
                return known
        return Workday(day=day, working=weekday, provisional=True, source=WEEKENDS_ONLY)

    def _year(self, year: int) -> _Year:
        table = self._years.get(year)
        if table is None:
            with self._lock:
                table = self._years.get(year)
                if table is None:
                    first = dt.date(year, 1, 1).toordinal()
                    size = dt.date(year, 12, 31).toordinal() - first + 1
                    days = tuple(
                        self._resolve(dt.date.fromordinal(first + i)) for i in range(size)
                    )
                    table = _Year(
                        first=first,
                        days=days,
                        working=_prefix([d.working for d in days]),
                        unknown=_prefix([d.provisional for d in days]),
                    )
                    self._years[year] = table
        return table

    def day(self, day: dt.date) -> Workday:
        table = self._year(day.year)
        return table.days[day.toordinal() - table.first]

    def year_source(self, year: int) -> str:
        """Where the schedule of ``year`` comes from: a file's path, ``chinesecalendar``, or
        ``weekends only`` when it is not known."""
        for schedule in self.schedules:
            if year in schedule.years:
                return schedule.origin
        if self.library and _library_day(dt.date(year, 1, 1)) is not None:
            return LIBRARY
        return WEEKENDS_ONLY

    def _upto(self, day: dt.date) -> tuple[int, int]:
        """(working, provisional) days from 1 January of ``day``'s year through ``day``."""
        table = self._year(day.year)
        index = day.toordinal() - table.first + 1
        return table.working[index], table.unknown[index]

    def between(self, start: dt.date, end: dt.date) -> Count:
        """Working days after ``start`` up to and including ``end`` (0 if ``end <= start``)."""
        if end <= start:
            return Count(0, False)
        working, unknown = 0, 0
        for year in range(start.year, end.year):
            table = self._year(year)
            working += table.working[-1]
            unknown += table.unknown[-1]
        end_working, end_unknown = self._upto(end)
        start_working, start_unknown = self._upto(start)
        working += end_working - start_working
        unknown += end_unknown - start_unknown
        return Count(working, unknown > 0)

    def add(self, start: dt.date, days: int) -> Deadline:
        """The date ``days`` working days after ``start`` (``start`` not counted)."""
        if days < 0:
            raise ValueError(f"a number of working days cannot be negative: {days}")
        due, left, provisional = start, days, False
        table = self._year(start.year)
        index = start.toordinal() - table.first
        while left:
            index += 1
            if index == len(table.days):
                table = self._year(table.days[-1].day.year + 1)
                index = 0
            day = table.days[index]
            provisional = provisional or day.provisional
            if day.working:
                left -= 1
                due = day.day
        return Deadline(start=start, days=days, due=due, provisional=provisional)
