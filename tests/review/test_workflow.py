"""Review and publication (catalog-model §5): every transition, every refusal, every role."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.yiyang import config

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def people(make_unit):
    """A unit with a member, an editor and an admin; another unit's editor; a reviewer (member
    of the e-government office); a sysadmin; and anonymous."""
    users = {
        role: factories.User() for role in ("member", "editor", "admin", "outsider", "reviewer")
    }
    unit = make_unit(
        title="市国土资源局",
        users=[{"name": users[r]["name"], "capacity": r} for r in ("member", "editor", "admin")],
    )
    make_unit(title="市统计局", users=[{"name": users["outsider"]["name"], "capacity": "editor"}])
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": users["reviewer"]["name"], "capacity": "member"}],
    )
    users["sysadmin"] = factories.Sysadmin()
    return {"unit": unit, **users}


@pytest.fixture
def entry(people, entry_factory):
    return entry_factory(
        people["unit"]["id"], catalog_category="302011", disclosure_scope="public"
    )


def act(action, user, **data):
    """Call an action as ``user`` (None: anonymous), with its auth function checked."""
    context = {"user": user["name"] if user else None}
    name = "yiyang_revision_show" if action == "revision_show" else f"yiyang_review_{action}"
    return tk.get_action(name)(context, data)


def status(entry_id):
    return model.Package.get(entry_id).extras.get("review_status")


def refused(action, user, **data):
    with pytest.raises(tk.NotAuthorized):
        act(action, user, **data)


class TestTransitions:
    def test_the_whole_round(self, people, entry):
        assert status(entry["id"]) == "draft"
        act("submit", people["editor"], id=entry["id"])
        assert status(entry["id"]) == "submitted"
        act("return", people["reviewer"], id=entry["id"], opinion="请补充信息项的计量单位")
        assert status(entry["id"]) == "returned"
        act("submit", people["editor"], id=entry["id"])
        result = act("approve", people["reviewer"], id=entry["id"], opinion="同意发布")
        assert status(entry["id"]) == "published"
        assert result["release_date"] == result["release_date"][:10]
        first_release = result["release_date"]
        act("withdraw", people["reviewer"], id=entry["id"], reason="职能调整")
        assert status(entry["id"]) == "withdrawn"
        act("submit", people["admin"], id=entry["id"])
        act("approve", people["sysadmin"], id=entry["id"])
        shown = call_action("package_show", id=entry["id"])
        assert shown["review_status"] == "published"
        assert shown["release_date"] == first_release  # set only the first time

    def test_unit_admin_may_withdraw(self, people, entry):
        act("submit", people["editor"], id=entry["id"])
        act("approve", people["reviewer"], id=entry["id"])
        act("withdraw", people["admin"], id=entry["id"], reason="数据停止采集")
        assert status(entry["id"]) == "withdrawn"

    @pytest.mark.parametrize(
        "action,start",
        [
            ("approve", "draft"),
            ("return", "draft"),
            ("withdraw", "draft"),
            ("submit", "submitted"),
            ("withdraw", "submitted"),
            ("submit", "published"),
            ("approve", "published"),
            ("return", "published"),
        ],
    )
    def test_transitions_from_the_wrong_state_are_refused(self, people, entry, action, start):
        if start in ("submitted", "published"):
            act("submit", people["editor"], id=entry["id"])
        if start == "published":
            act("approve", people["reviewer"], id=entry["id"])
        with pytest.raises(tk.ValidationError) as raised:
            act(action, people["sysadmin"], id=entry["id"], opinion="x", reason="x")
        assert "review_status" in raised.value.error_dict
        assert status(entry["id"]) == start

    def test_return_needs_an_opinion(self, people, entry):
        act("submit", people["editor"], id=entry["id"])
        with pytest.raises(tk.ValidationError) as raised:
            act("return", people["reviewer"], id=entry["id"], opinion="  ")
        assert "opinion" in raised.value.error_dict
        assert status(entry["id"]) == "submitted"

    def test_withdraw_needs_a_reason(self, people, entry):
        act("submit", people["editor"], id=entry["id"])
        act("approve", people["reviewer"], id=entry["id"])
        with pytest.raises(tk.ValidationError) as raised:
            act("withdraw", people["reviewer"], id=entry["id"])
        assert "reason" in raised.value.error_dict

    def test_an_incomplete_draft_is_refused_with_its_errors(self, people):
        draft = call_action(
            "package_create",
            {"user": people["editor"]["name"]},
            type="dataset",
            title="未完成",
            owner_org=people["unit"]["id"],
            state="draft",
        )
        with pytest.raises(tk.ValidationError) as raised:
            act("submit", people["editor"], id=draft["id"])
        assert {"notes", "share_type"} <= set(raised.value.error_dict)
        assert status(draft["id"]) == "draft"

    def test_unknown_entry(self, people):
        with pytest.raises(tk.ObjectNotFound):
            act("submit", people["sysadmin"], id="no-such-entry")


class TestWhoMayAct:
    @pytest.mark.parametrize("role", ["anonymous", "member", "outsider", "reviewer"])
    def test_submit_refused(self, people, entry, role):
        refused("submit", people.get(role), id=entry["id"])

    @pytest.mark.parametrize("role", ["editor", "admin", "sysadmin"])
    def test_submit_allowed(self, people, entry, role):
        act("submit", people[role], id=entry["id"])

    @pytest.mark.parametrize("action", ["approve", "return"])
    @pytest.mark.parametrize("role", ["anonymous", "member", "editor", "admin", "outsider"])
    def test_decisions_refused(self, people, entry, action, role):
        act("submit", people["editor"], id=entry["id"])
        refused(action, people.get(role), id=entry["id"], opinion="x")
        assert status(entry["id"]) == "submitted"

    @pytest.mark.parametrize("action", ["approve", "return"])
    @pytest.mark.parametrize("role", ["reviewer", "sysadmin"])
    def test_decisions_allowed(self, people, entry, action, role):
        act("submit", people["editor"], id=entry["id"])
        act(action, people[role], id=entry["id"], opinion="意见")

    @pytest.mark.parametrize("role", ["anonymous", "member", "editor", "outsider"])
    def test_withdraw_refused(self, people, entry, role):
        act("submit", people["editor"], id=entry["id"])
        act("approve", people["reviewer"], id=entry["id"])
        refused("withdraw", people.get(role), id=entry["id"], reason="x")

    @pytest.mark.parametrize("role", ["anonymous", "outsider"])
    def test_history_refused(self, people, entry, role):
        refused("history", people.get(role), id=entry["id"])

    @pytest.mark.parametrize("role", ["member", "editor", "admin", "reviewer", "sysadmin"])
    def test_history_allowed(self, people, entry, role):
        assert act("history", people[role], id=entry["id"]) == {"count": 0, "results": []}

    def test_queue_needs_a_login(self, people):
        refused("list", None)


class TestNoPathAround:
    def test_review_status_cannot_be_written(self, people, entry):
        for action in ("package_patch",):
            call_action(
                action,
                {"user": people["editor"]["name"]},
                id=entry["id"],
                review_status="published",
                release_date="2020-01-01",
            )
        assert status(entry["id"]) == "draft"
        assert not call_action("package_show", id=entry["id"]).get("release_date")

    def test_create_cannot_publish(self, people, entry_data):
        made = call_action(
            "package_create",
            {"user": people["editor"]["name"]},
            **entry_data(people["unit"]["id"], review_status="published"),
        )
        assert made["review_status"] == "draft"
        assert made["private"] is True

    @pytest.mark.parametrize("bulk", ["bulk_update_public", "bulk_update_private"])
    def test_bulk_visibility_is_refused(self, people, entry, bulk):
        with pytest.raises(tk.ValidationError):
            call_action(
                bulk,
                {"user": people["admin"]["name"]},
                datasets=[entry["id"]],
                org_id=people["unit"]["id"],
            )
        assert model.Package.get(entry["id"]).private is True

    def test_published_entry_cannot_be_deleted(self, people, entry):
        act("submit", people["editor"], id=entry["id"])
        act("approve", people["reviewer"], id=entry["id"])
        for call in (
            lambda: call_action(
                "package_delete", {"user": people["admin"]["name"]}, id=entry["id"]
            ),
            lambda: call_action(
                "bulk_update_delete",
                {"user": people["admin"]["name"]},
                datasets=[entry["id"]],
                org_id=people["unit"]["id"],
            ),
        ):
            with pytest.raises(tk.ValidationError):
                call()
        assert model.Package.get(entry["id"]).state == "active"

    def test_the_private_flag_follows_publication(self, people, entry):
        assert model.Package.get(entry["id"]).private is True
        act("submit", people["editor"], id=entry["id"])
        act("approve", people["reviewer"], id=entry["id"])
        assert model.Package.get(entry["id"]).private is False
        act("withdraw", people["reviewer"], id=entry["id"], reason="x")
        assert model.Package.get(entry["id"]).private is True


class TestWorkingCopy:
    @pytest.fixture
    def published(self, people, entry):
        act("submit", people["editor"], id=entry["id"])
        act("approve", people["reviewer"], id=entry["id"])
        return call_action("package_show", id=entry["id"])

    def edit(self, people, published, **changes):
        return call_action(
            "package_patch", {"user": people["editor"]["name"]}, id=published["id"], **changes
        )

    def test_edit_keeps_the_published_version(self, people, published):
        self.edit(people, published, title="土地使用权登记信息（2026年版）", update_cycle="weekly")
        public = call_action("package_show", {"user": None}, id=published["id"])
        assert public["title"] == published["title"]
        assert public["update_cycle"] == published["update_cycle"]
        assert public["review_status"] == "published"
        copy = act("revision_show", people["editor"], id=published["id"])
        assert copy["status"] == "draft"
        assert {c["field"] for c in copy["changes"]} == {"title", "update_cycle"}
        # anonymous search still finds the published title, not the pending one
        found = call_action("package_search", {"user": None}, q="2026年版")
        assert found["count"] == 0

    def test_invalid_change_is_refused_and_nothing_kept(self, people, published):
        with pytest.raises(tk.ValidationError) as raised:
            self.edit(people, published, share_type="conditional", share_condition="")
        assert "share_condition" in raised.value.error_dict
        assert act("revision_show", people["editor"], id=published["id"]) is None

    def test_approved_change_replaces_the_published_version(self, people, published):
        self.edit(people, published, title="土地使用权登记信息（新）")
        act("submit", people["editor"], id=published["id"])
        assert (
            act("revision_show", people["reviewer"], id=published["id"])["status"] == "submitted"
        )
        act("approve", people["reviewer"], id=published["id"], opinion="同意")
        shown = call_action("package_show", id=published["id"])
        assert shown["title"] == "土地使用权登记信息（新）"
        assert shown["resource_code"] == published["resource_code"]
        assert shown["metadata_id"] == published["metadata_id"]
        assert shown["release_date"] == published["release_date"]
        assert shown["review_status"] == "published"
        assert act("revision_show", people["editor"], id=published["id"]) is None
        activities = call_action("package_activity_list", id=published["id"])
        assert activities[0]["activity_type"] == "changed package"
        assert activities[0]["data"]["package"]["title"] == "土地使用权登记信息（新）"

    def test_returned_change_stays_with_the_unit(self, people, published):
        self.edit(people, published, title="改名")
        act("submit", people["editor"], id=published["id"])
        with pytest.raises(tk.ValidationError):
            self.edit(people, published, title="等待审核时再改")  # waiting: not editable
        act("return", people["reviewer"], id=published["id"], opinion="名称不规范")
        assert call_action("package_show", id=published["id"])["title"] == published["title"]
        assert act("revision_show", people["editor"], id=published["id"])["status"] == "returned"
        self.edit(people, published, title="规范的名称")
        copy = act("revision_show", people["editor"], id=published["id"])
        assert copy["status"] == "draft" and copy["data"]["title"] == "规范的名称"

    def test_attached_data_changes_go_through(self, people, published):
        resource = call_action(
            "resource_create",
            {"user": people["editor"]["name"]},
            package_id=published["id"],
            url="http://example.com/a.csv",
            name="数据文件",
        )
        shown = call_action("package_show", id=published["id"])
        assert [r["id"] for r in shown["resources"]] == [resource["id"]]
        assert act("revision_show", people["editor"], id=published["id"]) is None


class TestHistory:
    def test_every_transition_is_recorded_with_its_diff(self, people, entry):
        act("submit", people["editor"], id=entry["id"])
        act("return", people["reviewer"], id=entry["id"], opinion="请补充摘要")
        call_action(
            "package_patch",
            {"user": people["editor"]["name"]},
            id=entry["id"],
            notes="补充后的摘要：全市国有建设用地使用权的登记信息。",
        )
        act("submit", people["editor"], id=entry["id"])
        act("approve", people["reviewer"], id=entry["id"], opinion="同意")
        history = act("history", people["editor"], id=entry["id"])
        assert history["count"] == 4
        events = history["results"]
        assert [(e["from"], e["to"]) for e in events] == [
            ("draft", "submitted"),
            ("submitted", "returned"),
            ("returned", "submitted"),
            ("submitted", "published"),
        ]
        assert events[1]["opinion"] == "请补充摘要"
        assert events[1]["actor"] == people["reviewer"]["name"]
        assert events[0]["changes"]  # the first submission: everything is new
        assert [c["field"] for c in events[2]["changes"]] == ["notes"]
        assert events[2]["changes"][0]["new"].startswith("补充后的摘要")
        assert events[3]["changes"] == events[2]["changes"]

    def test_history_is_on_the_entry_page_for_the_unit_only(self, app, people, entry):
        act("submit", people["editor"], id=entry["id"])
        act("return", people["reviewer"], id=entry["id"], opinion="请补充摘要")
        token = factories.APIToken(user=people["editor"]["name"])["token"]
        page = app.get(f"/dataset/{entry['name']}", headers={"Authorization": token}).body
        assert "请补充摘要" in page and "yiyang-history" in page
