"""Reading a schedule file (the format is documented at the top of ``data/workdays.yaml``).

The file is composed, not loaded, so that every mistake can be reported with its line: the
office edits its own file by hand, and a wrong deadline is worse than a clear error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import NoReturn

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# A holiday range longer than this is taken for a typo (the longest so far: 春节 2020, extended
# to 10 days).
MAX_RANGE_DAYS = 31
_YEARS = range(1900, 2200)
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_YEAR_KEYS = {"source", "holidays"}
_ENTRY_KEYS = {"name", "from", "to", "workdays"}


class WorkdaysFileError(ValueError):
    """A schedule file that cannot be used; the message names the file and the line."""

    def __init__(self, origin: str, line: int | None, message: str) -> None:
        self.origin = origin
        self.line = line
        self.problem = message
        where = f"{origin}, line {line}" if line else origin
        super().__init__(f"{where}: {message}")


@dataclasses.dataclass(frozen=True)
class Day:
    """What a schedule says of one date."""

    working: bool
    holiday: str  # the holiday's name; for an adjusted working day, the holiday it makes up for


@dataclasses.dataclass(frozen=True)
class Schedule:
    """One schedule file: the years it covers entirely and the dates it names."""

    origin: str
    years: frozenset[int]
    days: Mapping[dt.date, Day]

    @classmethod
    def empty(cls, origin: str) -> Schedule:
        return cls(origin, frozenset(), {})


def parse(text: str, origin: str) -> Schedule:
    """The schedule in ``text``; ``origin`` (the file's path) names it in errors.

    :raises WorkdaysFileError: on the first mistake, with its line.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(error, "problem", None) or str(error)
        raise WorkdaysFileError(origin, line, f"not valid YAML: {problem}") from None
    if root is None or (isinstance(root, ScalarNode) and root.tag.endswith(":null")):
        return Schedule.empty(origin)
    reader = _Reader(origin)
    years: set[int] = set()
    days: dict[dt.date, Day] = {}
    for key, value in reader.mapping(root, "the file (a mapping from year to schedule)"):
        year = reader.year(key)
        if year in years:
            reader.fail(key, f"year {year} is listed twice")
        years.add(year)
        for day, entry, node in reader.year_schedule(year, value):
            if day in days:
                reader.fail(node, f"{day} is already listed (as {_describe(days[day])})")
            days[day] = entry
    return Schedule(origin, frozenset(years), days)


def _describe(day: Day) -> str:
    return f"a working day for {day.holiday}" if day.working else f"a day off of {day.holiday}"


class _Reader:
    def __init__(self, origin: str) -> None:
        self.origin = origin

    def fail(self, node: Node, message: str) -> NoReturn:
        raise WorkdaysFileError(self.origin, node.start_mark.line + 1, message)

    def mapping(self, node: Node, what: str) -> list[tuple[Node, Node]]:
        if not isinstance(node, MappingNode):
            self.fail(node, f"{what} must be a mapping")
        return list(node.value)

    def keys(self, node: Node, what: str, allowed: set[str]) -> dict[str, Node]:
        found: dict[str, Node] = {}
        for key, value in self.mapping(node, what):
            name = self.scalar(key, "a key")
            if name not in allowed:
                expected = ", ".join(sorted(allowed))
                self.fail(key, f"unknown key {name!r} in {what} (expected: {expected})")
            if name in found:
                self.fail(key, f"key {name!r} is given twice")
            found[name] = value
        return found

    def scalar(self, node: Node, what: str) -> str:
        if not isinstance(node, ScalarNode) or node.tag.endswith(":null"):
            self.fail(node, f"{what} must be a single value")
        value = str(node.value).strip()
        if not value:
            self.fail(node, f"{what} must not be empty")
        return value

    def year(self, node: Node) -> int:
        text = self.scalar(node, "a year")
        if not text.isdigit() or int(text) not in _YEARS:
            self.fail(node, f"{text!r} is not a year (e.g. 2027)")
        return int(text)

    def date(self, node: Node, what: str, year: int) -> dt.date:
        text = self.scalar(node, what)
        match = _DATE.fullmatch(text)
        try:
            if not match:
                raise ValueError(text)
            day = dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            self.fail(node, f"{what} {text!r} is not a date (YYYY-MM-DD)")
        if abs(day.year - year) > 1:
            self.fail(node, f"{what} {day} is not in or next to the year {year}")
        return day

    def year_schedule(self, year: int, node: Node) -> Iterator[tuple[dt.date, Day, Node]]:
        what = f"the schedule of {year}"
        fields = self.keys(node, what, _YEAR_KEYS)
        if "source" in fields:
            self.scalar(fields["source"], "source")
        if "holidays" not in fields:
            self.fail(node, f"{what} has no 'holidays' list (write 'holidays: []' if none)")
        holidays = fields["holidays"]
        if not isinstance(holidays, SequenceNode):
            self.fail(holidays, "'holidays' must be a list of entries (- name: …)")
        for entry in holidays.value:
            yield from self.entry(year, entry)

    def entry(self, year: int, node: Node) -> Iterator[tuple[dt.date, Day, Node]]:
        fields = self.keys(node, "a holiday entry", _ENTRY_KEYS)
        for required in ("name", "from"):
            if required not in fields:
                self.fail(node, f"a holiday entry needs '{required}'")
        name = self.scalar(fields["name"], "name")
        first = self.date(fields["from"], "from", year)
        last = self.date(fields["to"], "to", year) if "to" in fields else first
        if last < first:
            self.fail(fields["to"], f"{name}: 'to' {last} is before 'from' {first}")
        if (last - first).days + 1 > MAX_RANGE_DAYS:
            self.fail(fields["to"], f"{name}: {first}–{last} is longer than {MAX_RANGE_DAYS} days")
        day = first
        while day <= last:
            yield day, Day(working=False, holiday=name), fields["from"]
            day += dt.timedelta(days=1)
        worked = fields.get("workdays")
        if worked is None or (isinstance(worked, ScalarNode) and worked.tag.endswith(":null")):
            return
        if not isinstance(worked, SequenceNode):
            self.fail(worked, f"{name}: 'workdays' must be a list of dates ([YYYY-MM-DD, …])")
        for item in worked.value:
            workday = self.date(item, "working day", year)
            if workday.weekday() < 5:
                weekday = workday.strftime("%A")
                self.fail(item, f"{name}: working day {workday} is a {weekday}, not a weekend day")
            yield workday, Day(working=True, holiday=name), item
