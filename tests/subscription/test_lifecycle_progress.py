"""The progress view's application figures per unit (issue 14.4's share of 14.1): received,
answered on time, median answer time in working days, grants active and expiring."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from ckanext.yiyang.progress import figures
from ckanext.yiyang.subscription import jobs

pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
    pytest.mark.ckan_config("ckanext.yiyang.subscription.compliance_review", True),
]


def test_answers_and_grants_per_unit(world, act, apply):
    users = world["users"]
    office, admin = users["reviewer"], users["provider_admin"]
    with freeze_time("2026-02-24 02:00:00"):  # the provider's 5 days end on 03-02
        quick = apply()
        slow = apply(user="other_unit")
        open_data = apply("unconditional", valid_until="2026-03-04")
        for sub in (quick, slow, open_data):
            act("check", office, id=sub["id"], passed=True)
    with freeze_time("2026-02-26 02:00:00"):
        act("approve", admin, id=quick["id"])  # 2 working days
        assert jobs.warn_expiring("2026-02-26") == 1
    with freeze_time("2026-03-04 02:00:00"):  # 7 working days (02-28 works), late
        act("reject", admin, id=slow["id"], reason="不符")
        row = figures.by_unit(
            [world["provider"]["id"]], figures.cutoffs(figures.workdays.today())
        )[world["provider"]["id"]]
    assert row["applications_received"] == 3
    assert row["applications_answered_on_time"] == 1
    assert row["applications_answer_days"] == 4.5
    assert (row["grants_active"], row["grants_expiring"]) == (2, 1)
