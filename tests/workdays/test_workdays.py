"""The working-day calendar (stack.md "Working days"; catalog-model §5, §7, §8).

Pure functions: no database, no plugin. The office's file is named through ``tk.config`` at
call time, so a test sets the option with ``monkeypatch`` on the configuration the suite's CKAN
plugin loaded.
"""

from __future__ import annotations

import datetime as dt
import textwrap
import time

import chinese_calendar
import ckan.plugins.toolkit as tk
import pytest

from ckanext.yiyang import workdays
from ckanext.yiyang.workdays import Calendar, WorkdaysFileError
from ckanext.yiyang.workdays.schedule import parse

D = dt.date
# The last year chinesecalendar (pinned in requirements.txt) and data/workdays.yaml know; the
# next one has no published schedule yet. Move both on when a newer schedule is entered.
LAST_KNOWN_YEAR = 2026
UNKNOWN_YEAR = LAST_KNOWN_YEAR + 1


@pytest.fixture
def office_file(tmp_path, monkeypatch):
    """``office_file(text)``: write the office's schedule file and name it in the config."""
    path = tmp_path / "office-workdays.yaml"

    def write(text: str):
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        monkeypatch.setitem(tk.config, workdays.WORKDAYS_FILE_OPTION, str(path))
        return path

    return write


def days_of(year: int):
    day = D(year, 1, 1)
    while day.year == year:
        yield day
        day += dt.timedelta(days=1)


class TestWeekends:
    def test_saturday_and_sunday_are_off_monday_to_friday_work(self):
        week = [workdays.is_workday(D(2025, 3, 3) + dt.timedelta(days=i)) for i in range(7)]
        assert [day.working for day in week] == [True] * 5 + [False] * 2
        assert not any(day.provisional or day.holiday or day.adjusted for day in week)

    def test_a_day_is_true_when_it_is_a_working_day(self):
        assert workdays.is_workday(D(2025, 3, 7))
        assert not workdays.is_workday(D(2025, 3, 8))

    def test_a_week_counts_five_working_days(self):
        count = workdays.workdays_between(D(2025, 3, 2), D(2025, 3, 9))
        assert count == workdays.Count(5, provisional=False)


SPRING_FESTIVAL_2026 = tuple(D(2026, 2, 15) + dt.timedelta(days=i) for i in range(9))  # 15–23 Feb
NATIONAL_DAY_2026 = tuple(D(2026, 10, 1) + dt.timedelta(days=i) for i in range(7))  # 1–7 Oct
ADJUSTED_2026 = {
    D(2026, 1, 4): "元旦",  # a Sunday
    D(2026, 2, 14): "春节",  # Saturdays and Sundays worked
    D(2026, 2, 28): "春节",
    D(2026, 5, 9): "劳动节",
    D(2026, 9, 20): "国庆节",
    D(2026, 10, 10): "国庆节",
}


class TestHolidays2026:
    """The State Council's notice for 2026 (2025-11-04), from the packaged file and from
    chinesecalendar alike."""

    @pytest.mark.parametrize("day", SPRING_FESTIVAL_2026)
    def test_spring_festival_is_off(self, day):
        found = workdays.is_workday(day)
        assert (found.working, found.holiday, found.provisional) == (False, "春节", False)

    @pytest.mark.parametrize("day", NATIONAL_DAY_2026)
    def test_national_day_is_off(self, day):
        found = workdays.is_workday(day)
        assert (found.working, found.holiday) == (False, "国庆节")

    @pytest.mark.parametrize(("day", "holiday"), ADJUSTED_2026.items())
    def test_adjusted_weekend_days_are_working_days(self, day, holiday):
        assert day.weekday() >= 5
        found = workdays.is_workday(day)
        assert (found.working, found.adjusted, found.holiday) == (True, True, holiday)

    def test_the_days_around_are_ordinary(self):
        assert workdays.is_workday(D(2026, 2, 24)).working  # Tuesday after 春节
        assert workdays.is_workday(D(2026, 10, 8)).working  # Thursday after 国庆
        assert not workdays.is_workday(D(2026, 10, 11)).working  # a plain Sunday

    def test_chinesecalendar_knows_the_same_dates(self):
        for day in [*SPRING_FESTIVAL_2026, *NATIONAL_DAY_2026]:
            assert chinese_calendar.is_holiday(day), day
        for day in ADJUSTED_2026:
            assert chinese_calendar.is_workday(day), day
        assert chinese_calendar.is_workday(D(2026, 10, 8))

    def test_packaged_file_agrees_with_chinesecalendar_on_every_day(self):
        packaged = Calendar([workdays._packaged()], library=False)
        library = Calendar(library=True)
        for day in days_of(2026):
            ours, theirs = packaged.day(day), library.day(day)
            assert (ours.working, ours.holiday, ours.adjusted, ours.provisional) == (
                theirs.working,
                theirs.holiday,
                theirs.adjusted,
                theirs.provisional,
            ), day


class TestFromChinesecalendar:
    def test_names_are_the_notices_chinese_names(self):
        assert workdays.is_workday(D(2025, 4, 4)).holiday == "清明节"
        assert workdays.is_workday(D(2025, 1, 29)).holiday == "春节"
        assert workdays.is_workday(D(2025, 10, 6)).source == workdays.LIBRARY

    def test_2025_spring_festival_with_its_adjusted_days(self):
        assert not workdays.is_workday(D(2025, 2, 4)).working
        assert workdays.is_workday(D(2025, 1, 26)).adjusted  # Sunday worked
        assert workdays.is_workday(D(2025, 2, 8)).adjusted  # Saturday worked

    def test_years_it_covers(self):
        assert workdays.year_source(2004) == workdays.LIBRARY
        assert workdays.year_source(2025) == workdays.LIBRARY
        assert workdays.year_source(2003) == workdays.WEEKENDS_ONLY
        assert workdays.year_source(UNKNOWN_YEAR) == workdays.WEEKENDS_ONLY


class TestDeadlines:
    def test_ten_working_days_across_national_day(self):
        # Friday 26 Sep 2025; 28 Sep (Sunday) is worked, 1–8 Oct off, 11 Oct (Saturday) worked.
        deadline = workdays.add_workdays(D(2025, 9, 26), 10)
        assert deadline == workdays.Deadline(
            start=D(2025, 9, 26), days=10, due=D(2025, 10, 16), provisional=False
        )

    def test_submitted_on_the_friday_before_spring_festival(self):
        # Friday 13 Feb 2026; 14 Feb (Saturday) is worked, then 15–23 Feb off.
        assert workdays.add_workdays(D(2026, 2, 13), 1).due == D(2026, 2, 14)
        assert workdays.add_workdays(D(2026, 2, 13), 2).due == D(2026, 2, 24)

    def test_start_is_not_counted_and_zero_days_is_the_start(self):
        assert workdays.add_workdays(D(2025, 3, 3), 1).due == D(2025, 3, 4)
        assert workdays.add_workdays(D(2025, 3, 8), 0).due == D(2025, 3, 8)
        assert workdays.add_workdays(D(2025, 3, 8), 1).due == D(2025, 3, 10)

    def test_negative_days_are_refused(self):
        with pytest.raises(ValueError, match="negative"):
            workdays.add_workdays(D(2025, 3, 3), -1)

    def test_deadline_into_a_year_without_schedule_is_provisional(self):
        start = D(LAST_KNOWN_YEAR, 12, 24)  # Thursday
        deadline = workdays.add_workdays(start, 10)
        # Weekends only from 1 January: 25, 28–31 Dec, then 1, 4–7 Jan.
        assert deadline.due == D(UNKNOWN_YEAR, 1, 7)
        assert deadline.provisional
        assert not workdays.add_workdays(D(LAST_KNOWN_YEAR, 12, 1), 10).provisional

    def test_unknown_year_counts_weekends_only_and_says_so(self):
        friday, saturday = D(UNKNOWN_YEAR, 1, 1), D(UNKNOWN_YEAR, 1, 2)
        assert workdays.is_workday(friday) == workdays.Workday(
            day=friday, working=True, provisional=True, source=workdays.WEEKENDS_ONLY
        )
        assert not workdays.is_workday(saturday).working
        assert workdays.is_workday(saturday).provisional
        assert workdays.is_workday(D(1999, 10, 1)).provisional  # before chinesecalendar too

    def test_no_date_raises(self):
        for day in (D(1, 1, 1), D(1900, 2, 28), D(2200, 6, 1), D(9999, 12, 31)):
            assert workdays.is_workday(day).provisional
        assert workdays.workdays_between(D(2003, 12, 1), D(2004, 2, 1)).provisional

    def test_due_date_is_a_working_day_and_counts_back_to_n(self):
        calendar = workdays.calendar()
        start = D(2024, 12, 1)
        for offset in range(0, 800, 3):
            for days in (1, 5, 10, 20):
                begin = start + dt.timedelta(days=offset)
                due = calendar.add(begin, days).due
                assert calendar.day(due).working
                assert calendar.between(begin, due).days == days


class TestCounting:
    def test_working_days_elapsed_across_national_day(self):
        count = workdays.workdays_between(D(2025, 9, 26), D(2025, 10, 20))
        assert count == workdays.Count(12, provisional=False)

    def test_nothing_elapsed_when_end_is_not_after_start(self):
        assert workdays.workdays_between(D(2025, 3, 5), D(2025, 3, 5)).days == 0
        assert workdays.workdays_between(D(2025, 3, 5), D(2025, 3, 1)).days == 0

    def test_count_reaching_an_unknown_year_is_provisional(self):
        count = workdays.workdays_between(D(LAST_KNOWN_YEAR, 12, 30), D(UNKNOWN_YEAR, 1, 4))
        assert count == workdays.Count(3, provisional=True)  # 31 Dec, then 1 and 4 Jan

    def test_over_many_years(self):
        count = workdays.workdays_between(D(2004, 1, 1), D(2026, 1, 1))
        expected = sum(
            chinese_calendar.is_workday(D(2004, 1, 2) + dt.timedelta(days=i))
            for i in range((D(2026, 1, 1) - D(2004, 1, 1)).days)
        )
        assert count == workdays.Count(expected, provisional=False)


class TestOverdue:
    def test_overdue_after_the_limit_has_passed(self):
        start = D(2025, 9, 26)  # due 16 Oct 2025
        assert not workdays.is_overdue(start, 10, D(2025, 10, 16))
        assert workdays.is_overdue(start, 10, D(2025, 10, 17))

    def test_not_overdue_until_the_next_working_day_begins(self):
        start = D(2025, 11, 7)  # a Friday; due Friday 21 Nov
        status = workdays.due_status(start, 10, D(2025, 11, 22))  # the Saturday after
        assert (status.due, status.elapsed.days, status.overdue) == (D(2025, 11, 21), 10, False)
        status = workdays.due_status(start, 10, D(2025, 11, 24))  # Monday
        assert (status.overdue, status.remaining) == (True, -1)

    def test_age_and_remaining_for_display(self):
        status = workdays.due_status(D(2025, 9, 26), 10, D(2025, 9, 30))
        assert (status.elapsed.days, status.remaining, status.limit) == (3, 7, 10)
        assert not status.provisional
        assert workdays.age(D(2025, 9, 26), D(2025, 9, 30)) == workdays.Count(3, False)

    def test_defaults_to_today_in_china(self):
        today = workdays.today()
        assert workdays.age(today).days == 0
        assert not workdays.is_overdue(today, 0)
        assert workdays.due_status(today, 10).today == today

    def test_a_list_page_of_a_thousand_rows_is_fast(self):
        workdays._calendar.cache_clear()  # a cold start: every year resolved anew
        moments = [dt.datetime(2024, 1, 1, 3) + dt.timedelta(hours=19 * i) for i in range(1000)]
        began = time.perf_counter()
        statuses = [workdays.due_status(moment, 10, D(2026, 6, 1)) for moment in moments]
        assert time.perf_counter() - began < 1.0
        assert sum(status.overdue for status in statuses) > 900


class TestDatetimes:
    """Datetimes are UTC moments (naive ones too, as CKAN stores them) of a Shanghai day."""

    def test_just_before_and_after_midnight_in_shanghai(self):
        before = dt.datetime(2026, 9, 30, 15, 59, 59)  # 23:59:59 on 30 Sep in China
        after = dt.datetime(2026, 9, 30, 16, 0, 0)  # 00:00 on 1 Oct in China
        assert workdays.china_date(before) == D(2026, 9, 30)
        assert workdays.china_date(after) == D(2026, 10, 1)
        assert workdays.is_workday(before).working
        assert workdays.is_workday(after).holiday == "国庆节"

    def test_aware_datetimes_are_converted(self):
        utc = dt.datetime(2026, 9, 30, 16, 30, tzinfo=dt.timezone.utc)
        assert workdays.china_date(utc) == D(2026, 10, 1)
        shanghai = dt.datetime(2026, 10, 1, 0, 30, tzinfo=workdays.SHANGHAI)
        assert workdays.china_date(shanghai) == D(2026, 10, 1)

    def test_a_dates_day_is_kept(self):
        assert workdays.china_date(D(2026, 9, 30)) == D(2026, 9, 30)

    def test_iso_strings_as_the_api_returns_them(self):
        assert workdays.china_date("2026-09-30") == D(2026, 9, 30)
        assert workdays.china_date("2026-09-30T16:00:00.123456") == D(2026, 10, 1)
        assert workdays.china_date("2026-09-30T16:00:00+00:00") == D(2026, 10, 1)

    def test_deadline_from_a_late_evening_submission(self):
        # 00:30 on Friday 26 Sep in China is still Thursday 25 Sep in UTC.
        submitted = dt.datetime(2025, 9, 25, 16, 30)
        assert workdays.add_workdays(submitted, 10).due == D(2025, 10, 16)
        assert workdays.add_workdays(D(2025, 9, 25), 10).due == D(2025, 10, 15)
        assert workdays.workdays_between(submitted, dt.datetime(2025, 9, 29, 15, 0)).days == 2


# A made-up schedule for the tests, not a published one.
OFFICE_FILE = """\
{unknown}:
  source: a test
  holidays:
    - name: 元旦
      from: {unknown}-01-01
    - {{name: 春节, from: {unknown}-02-06, to: {unknown}-02-12, workdays: [{unknown}-02-20]}}
{known}:
  holidays:
    - {{name: 国庆节, from: {known}-10-01, to: {known}-10-09}}
"""


class TestOfficeFile:
    def test_option_is_empty_by_default(self):
        assert workdays.office_file() == ""

    def test_office_enters_a_new_year(self, office_file):
        path = office_file(OFFICE_FILE.format(unknown=UNKNOWN_YEAR, known=LAST_KNOWN_YEAR))
        new_year = workdays.is_workday(D(UNKNOWN_YEAR, 1, 1))
        assert (new_year.working, new_year.holiday, new_year.provisional) == (False, "元旦", False)
        assert new_year.source == str(path)
        assert workdays.is_workday(D(UNKNOWN_YEAR, 2, 20)).adjusted
        assert workdays.year_source(UNKNOWN_YEAR) == str(path)
        deadline = workdays.add_workdays(D(LAST_KNOWN_YEAR, 12, 24), 10)
        assert (deadline.due, deadline.provisional) == (D(UNKNOWN_YEAR, 1, 8), False)

    def test_office_file_corrects_a_known_year_entirely(self, office_file):
        office_file(OFFICE_FILE.format(unknown=UNKNOWN_YEAR, known=LAST_KNOWN_YEAR))
        # Its 国庆节 wins over the packaged file's and chinesecalendar's …
        assert workdays.is_workday(D(LAST_KNOWN_YEAR, 10, 8)).holiday == "国庆节"
        # … and the year is replaced: what it does not list is an ordinary day.
        assert workdays.is_workday(D(LAST_KNOWN_YEAR, 2, 16)).working
        assert not workdays.is_workday(D(LAST_KNOWN_YEAR, 2, 14)).working
        # Other years are untouched.
        assert workdays.is_workday(D(2025, 10, 8)).holiday == "国庆节"

    def test_the_edited_file_is_read_again(self, office_file):
        office_file(f"{UNKNOWN_YEAR}:\n  holidays: []\n")
        assert workdays.is_workday(D(UNKNOWN_YEAR, 1, 1)).working
        office_file(
            f"{UNKNOWN_YEAR}:\n  holidays:\n    - {{name: 元旦, from: {UNKNOWN_YEAR}-01-01}}\n"
        )
        assert not workdays.is_workday(D(UNKNOWN_YEAR, 1, 1)).working

    def test_a_notice_may_name_a_day_of_the_previous_year(self):
        schedule = parse(
            "2012:\n  holidays:\n"
            "    - {name: 元旦, from: 2012-01-01, to: 2012-01-03, workdays: [2011-12-31]}\n",
            "office.yaml",
        )
        day = Calendar([schedule]).day(D(2011, 12, 31))
        assert (day.working, day.adjusted, day.holiday) == (True, True, "元旦")

    def test_an_empty_file_lists_nothing(self, office_file):
        office_file("# nothing yet\n")
        assert workdays.is_workday(D(2026, 2, 16)).holiday == "春节"


MALFORMED = [
    # (file, line, what the message says)
    (
        "2027:\n  holidays:\n    - {name: 春节, from: 2027-02-30}\n",
        3,
        "'2027-02-30' is not a date",
    ),
    ("2027:\n  holiday: []\n", 2, "unknown key 'holiday'"),
    ("2027:\n  source: x\n", 2, "no 'holidays' list"),
    ("2027:\n  holidays:\n    - {from: 2027-01-01}\n", 3, "needs 'name'"),
    (
        "2027:\n  holidays:\n    - name: 元旦\n      from: 2027-01-01\n"
        "      workdays: [2027-01-04]\n",
        5,
        "2027-01-04 is a Monday, not a weekend day",
    ),
    (
        "2027:\n  holidays:\n    - {name: 国庆节, from: 2027-10-01, to: 2027-01-07}\n",
        3,
        "is before 'from'",
    ),
    ("2027:\n  holidays:\n    - {name: 国庆节, from: 2027-10-01, to: 2027-12-07}\n", 3, "longer"),
    (
        "2027:\n  holidays:\n    - {name: 中秋节, from: 2027-09-18}\n"
        "    - {name: 国庆节, from: 2027-10-01, workdays: [2027-09-18]}\n",
        4,
        "2027-09-18 is already listed (as a day off of 中秋节)",
    ),
    ("2027:\n  holidays:\n    - {name: 元旦, from: 2029-01-01}\n", 3, "not in or next to"),
    ("2027:\n  holidays: []\n2027:\n  holidays: []\n", 3, "year 2027 is listed twice"),
    ("20277:\n  holidays: []\n", 1, "'20277' is not a year"),
    ("2027:\n  holidays:\n    - {name: 元旦, from: 2027-01-01\n", 4, "not valid YAML"),
    ("- 2027\n", 1, "must be a mapping"),
]


class TestMalformedOfficeFile:
    @pytest.mark.parametrize(("text", "line", "message"), MALFORMED)
    def test_error_names_the_file_and_the_line(self, office_file, text, line, message):
        path = office_file(text)
        with pytest.raises(WorkdaysFileError) as raised:
            workdays.is_workday(D(2027, 1, 1))
        assert str(raised.value).startswith(f"{path}, line {line}: ")
        assert message in str(raised.value)
        assert (raised.value.origin, raised.value.line) == (str(path), line)

    def test_check_reports_it_before_any_date_is_asked(self, office_file):
        office_file("2027:\n  holidays: [{name: 元旦, from: 2027-1-32}]\n")
        with pytest.raises(WorkdaysFileError, match=r"line 2: from '2027-1-32' is not a date"):
            workdays.check()

    def test_a_missing_file_is_an_error_too(self, tmp_path, monkeypatch):
        missing = tmp_path / "nowhere.yaml"
        monkeypatch.setitem(tk.config, workdays.WORKDAYS_FILE_OPTION, str(missing))
        with pytest.raises(WorkdaysFileError, match=f"^{missing}: cannot read"):
            workdays.check()

    def test_the_packaged_file_is_well_formed(self):
        schedule = workdays._packaged()
        assert LAST_KNOWN_YEAR in schedule.years
        assert isinstance(workdays.check(), Calendar)
