"""Overdue counted in working days (the review queue's rule, China's holidays and make-up
working days): reviews across National Day, the day an application becomes overdue."""

from __future__ import annotations

import datetime

import pytest
from freezegun import freeze_time

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


class TestOverdueInWorkingDays:
    def test_review_overdue_across_national_day_as_the_queue(
        self, people, make_unit, entry_factory, act, progress, row_of, backdate_events
    ):
        unit = make_unit(title="市民政局")
        for title, day in (("国庆前一周提交", 19), ("国庆前一天提交", 26)):
            entry = entry_factory(unit["id"], title=title)
            act("yiyang_review_submit", people["sysadmin"], id=entry["id"])
            backdate_events(entry, f"2025-09-{day} 02:00:00")
        with freeze_time("2025-10-09 04:00:00"):
            row = row_of(progress(people["reviewer"]), unit)
            queue = act("yiyang_review_list", people["reviewer"])
        # 9-26 → 10-09 is 4 working days (10-01..08 off, Sunday 9-28 worked): not yet overdue
        assert [r["overdue"] for r in queue["results"]] == [True, False]
        assert row["review_overdue"] == 1

    def test_the_day_an_application_becomes_overdue(self, city, progress, row_of):
        # the recent application is due 10 working days from today; it is overdue from the
        # first working day after that, as subscription/workflow.py says
        from ckanext.yiyang import workdays

        due = workdays.add_workdays(workdays.today(), 10).due
        after = due + datetime.timedelta(days=1)
        while not workdays.is_workday(after):
            after += datetime.timedelta(days=1)
        with freeze_time(f"{due.isoformat()} 08:00:00"):
            assert row_of(progress(city["reviewer"]), city["police"])["applications_overdue"] == 1
        with freeze_time(f"{after.isoformat()} 02:00:00"):
            assert row_of(progress(city["reviewer"]), city["police"])["applications_overdue"] == 2
