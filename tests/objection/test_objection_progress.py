"""The progress view's objection and rating figures per unit (issue 14.4's share)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from freezegun import freeze_time

from ckanext.yiyang.progress import figures

from .conftest import act

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_objections_open_overdue_closed_on_time(people, raise_objection):
    with freeze_time("2026-02-13 02:00:00"):
        late = raise_objection()
        on_time = raise_objection()
        act("close", people["reviewer"], id=on_time["id"], reason="不是异议")
    unit = people["provider_unit"]["id"]
    with freeze_time("2026-02-25 02:00:00"):
        row = figures.by_unit([unit], figures.cutoffs(figures.workdays.today()))[unit]
        assert (row["objections_open"], row["objections_overdue"]) == (1, 1)
        assert row["objections_closed_on_time"] == 1
        act("close", people["reviewer"], id=late["id"], reason="撤销")
        row = figures.by_unit([unit], figures.cutoffs(figures.workdays.today()))[unit]
    assert (row["objections_open"], row["objections_closed_on_time"]) == (0, 1)
    assert row["rating_average"] == 0
    assert (
        tk.get_action("yiyang_objection_list")(
            {"user": people["reviewer"]["name"]}, {"status": "closed"}
        )["count"]
        == 2
    )
