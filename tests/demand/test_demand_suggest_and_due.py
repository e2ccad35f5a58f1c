"""Suggestions from the catalog's search (as the user: visibility respected), due dates in
working days across a Chinese holiday, overdue marking and the reminders command."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from freezegun import freeze_time

from ckanext.yiyang.demand import cli, subscriptions

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def act(action, user, **data):
    return tk.get_action(f"yiyang_demand_{action}")({"user": user["name"] if user else None}, data)


class TestSuggest:
    def test_only_what_the_user_may_see_and_only_published(self, people, entry_factory):
        provider = people["provider_unit"]["id"]
        entry_factory(
            provider, published=True, title="户籍人口基本信息", disclosure_scope="public"
        )
        entry_factory(
            provider, published=True, title="户籍人口变动信息", disclosure_scope="internal"
        )
        entry_factory(people["third_unit"]["id"], title="户籍人口草稿信息")  # unpublished
        entry_factory(
            provider, published=True, title="户籍人口涉密信息", disclosure_scope="undisclosed"
        )
        entry_factory(
            provider, published=True, title="企业注册登记信息", disclosure_scope="public"
        )

        def titles(user):
            return {s["title"] for s in act("suggest", user, q="户籍人口")}

        assert titles(people["requester"]) == {"户籍人口基本信息", "户籍人口变动信息"}
        # the owning unit sees its undisclosed entry; a unit's drafts never meet a demand
        assert "户籍人口草稿信息" not in titles(people["outsider"])
        assert titles(factories.User()) == {"户籍人口基本信息"}  # no unit: public only
        assert act("suggest", people["requester"], q="  ") == []
        assert act("suggest", people["requester"], q="道路桥梁的养护数据") == []
        # words of the title and the content, not the whole text as one phrase
        (best, *_rest) = act("suggest", people["requester"], q="全市户籍人口信息 用于入学审核")
        assert best["title"].startswith("户籍人口")
        with pytest.raises(tk.NotAuthorized):
            act("suggest", None, q="户籍人口")

    def test_limit(self, people, entry_factory):
        for n in range(4):
            entry_factory(people["provider_unit"]["id"], published=True, title=f"户籍人口信息{n}")
        assert len(act("suggest", people["requester"], q="户籍人口", limit=2)) == 2


class TestDueDates:
    def test_due_in_working_days_across_national_day(self, people, raise_demand):
        # Friday 26 September 2025, 10:00 in Shanghai: the 10 working days run 9-28 (an
        # adjusted working Sunday), 9-29, 9-30, then from 10-09 after the holiday (10-11 is an
        # adjusted working Saturday): due on 10-16. Weekdays alone would say 10-10.
        with freeze_time("2025-09-26 02:00:00"):
            demand = raise_demand()
        assert demand["due_date"] == "2025-10-16"
        assert demand["provisional_due"] is False
        with freeze_time("2025-10-16 09:00:00"):
            assert act("show", people["requester"], id=demand["id"])["overdue"] is False
        with freeze_time("2025-10-17 01:00:00"):
            (row,) = act("list", people["editor"], role="provided")["results"]
            assert row["overdue"] is True
            act("accept", people["editor"], id=demand["id"])
            assert act("show", people["editor"], id=demand["id"])["overdue"] is True
            act("reject", people["editor"], id=demand["id"], reason="无此数据")
            assert act("show", people["editor"], id=demand["id"])["overdue"] is False

    def test_routing_starts_the_due_date_again(self, people, raise_demand):
        with freeze_time("2025-09-26 02:00:00"):
            demand = raise_demand(provider=False)
        with freeze_time("2025-10-14 02:00:00"):
            routed = act(
                "route",
                people["reviewer"],
                id=demand["id"],
                provider_org=people["provider_unit"]["id"],
            )
        assert routed["due_date"] == "2025-10-28"


class TestReminders:
    @pytest.mark.usefixtures("with_request_context")
    def test_due_soon_then_overdue_once_a_day(self, people, raise_demand):
        def inbox(user):
            return tk.get_action("yiyang_notification_list")({"user": user["name"]}, {})

        with freeze_time("2025-09-26 02:00:00"):
            demand = raise_demand()  # due 2025-10-16
        # the provider's editors and admins (the unit's creator is one of its admins)
        answerers = len(subscriptions.answerers(demand))
        assert answerers >= 2
        before = inbox(people["editor"])["count"]
        with freeze_time("2025-10-10 02:00:00"):
            assert cli.due_reminders() == 0  # 4 working days left
        with freeze_time("2025-10-14 02:00:00"):
            assert cli.due_reminders() == answerers
            assert cli.due_reminders() == 0  # once a day
        with freeze_time("2025-10-17 02:00:00"):
            assert cli.due_reminders() == answerers
            assert cli.due_reminders() == 0
        results = inbox(people["editor"])["results"]
        assert inbox(people["editor"])["count"] == before + 2
        assert {r["kind"] for r in results[:2]} == {"demand_due_soon", "demand_overdue"}
        assert all(r["link"] == f"/demand/{demand['id']}" for r in results[:2])
        assert inbox(people["member"])["count"] == 0
        act("reject", people["editor"], id=demand["id"], reason="无此数据")
        with freeze_time("2025-10-20 02:00:00"):
            assert cli.due_reminders() == 0  # answered
