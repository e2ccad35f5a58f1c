"""Integrity (issue 11 points 6, 7, 8, 11): what a reviewer approves is what was submitted,
CKAN's own ``state`` is no way around review, a demand is fulfilled only with an entry the
fulfilling unit may name, and an import's stored report is bounded."""

# ruff: noqa: F811 (the shared fixtures are imported: arguments of the same name use them)

from __future__ import annotations

import json
import re

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan import model

from ckanext.yiyang.demand.model import Demand
from ckanext.yiyang.imports import report as import_report
from ckanext.yiyang.review import workflow
from ckanext.yiyang.subscription import states as subscription_states
from ckanext.yiyang.subscription import workflow as subscription_workflow

from .integrity_world import people, tokens  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

FROZEN = "waiting for review"  # in-process: the English msgid (the API: Chinese)


def act(people, role, action, **data):
    return tk.get_action(action)({"user": people[role]["name"]}, data)


def refused(people, role, action, **data) -> dict:
    with pytest.raises(tk.ValidationError) as error:
        act(people, role, action, **data)
    return error.value.error_dict


def status(entry_id: str) -> str:
    model.Session.expire_all()
    return workflow.status_of(model.Package.get(entry_id))


@pytest.fixture
def submitted(people, entry_factory):
    entry = entry_factory(people["unit_a"]["id"], disclosure_scope="internal")
    return act(people, "a_editor", "yiyang_review_submit", id=entry["id"])


class TestSubmittedIsFrozen:
    """Point 7: a change between the reviewer's read and the approval is refused."""

    @pytest.mark.parametrize("role", ["a_editor", "a_admin", "sysadmin"])
    def test_a_submitted_entry_cannot_be_changed(self, people, submitted, role):
        for action in ("package_patch", "package_update"):
            data = {**submitted, "disclosure_scope": "public"}
            if action == "package_patch":
                data = {"id": submitted["id"], "disclosure_scope": "public"}
            errors = refused(people, role, action, **data)
            assert FROZEN in errors["review_status"][0]
        shown = act(people, "sysadmin", "package_show", id=submitted["id"])
        assert shown["disclosure_scope"] == "internal"
        assert shown["metadata_modified"] == submitted["metadata_modified"]

    def test_the_api_refuses_with_409_in_chinese(self, app, people, submitted, tokens):
        for data, words in (
            ({"title": "改过的名称"}, "等待审核"),
            ({"state": "deleted"}, "等待审核"),
        ):
            response = app.post(
                "/api/3/action/package_patch",
                json={"id": submitted["id"], **data},
                headers={"Authorization": tokens("a_editor")},
            )
            assert response.status_code == 409
            assert words in response.json["error"]["review_status"][0]

    def test_the_approval_publishes_what_was_submitted(self, people, submitted):
        with pytest.raises(tk.ValidationError):
            act(people, "a_editor", "package_patch", id=submitted["id"], title="改过的名称")
        approved = act(people, "reviewer", "yiyang_review_approve", id=submitted["id"])
        assert approved["disclosure_scope"] == "internal"
        assert approved["title"] == submitted["title"]

    def test_attached_data_may_still_be_added(self, people, submitted):
        act(
            people,
            "a_editor",
            "resource_create",
            package_id=submitted["id"],
            name="数据文件",
            url="https://data.yiyang.test/a.csv",
        )
        assert status(submitted["id"]) == "submitted"

    def test_once_returned_it_can_be_changed_again(self, people, submitted):
        act(people, "reviewer", "yiyang_review_return", id=submitted["id"], opinion="补充")
        changed = act(people, "a_editor", "package_patch", id=submitted["id"], title="新名称")
        assert changed["title"] == "新名称"

    def test_it_cannot_be_deleted_under_the_reviewer(self, people, submitted):
        for call in (
            lambda: act(people, "a_editor", "package_delete", id=submitted["id"]),
            lambda: act(
                people,
                "a_admin",
                "bulk_update_delete",
                datasets=[submitted["id"]],
                org_id=people["unit_a"]["id"],
            ),
        ):
            with pytest.raises(tk.ValidationError):
                call()
        assert model.Package.get(submitted["id"]).state == "active"


class TestTheApprovalNamesItsVersion:
    def test_a_stale_version_is_refused(self, people, submitted):
        read = submitted["metadata_modified"]  # what the reviewer's form carries
        act(people, "reviewer2", "yiyang_review_return", id=submitted["id"], opinion="改为对外")
        act(people, "a_editor", "package_patch", id=submitted["id"], disclosure_scope="public")
        act(people, "a_editor", "yiyang_review_submit", id=submitted["id"])
        errors = refused(
            people, "reviewer", "yiyang_review_approve", id=submitted["id"], version=read
        )
        assert "open it again" in errors["version"][0]
        assert status(submitted["id"]) == "submitted"
        current = act(people, "sysadmin", "package_show", id=submitted["id"])
        approved = act(
            people,
            "reviewer",
            "yiyang_review_approve",
            id=submitted["id"],
            version=current["metadata_modified"],
        )
        assert approved["review_status"] == "published"

    def test_the_review_panel_names_the_version_it_shows(self, app, people, tokens, submitted):
        """The panel's approve and return forms carry the version on the reviewer's screen, so
        an approval posted from a page read before a change is refused."""
        import re

        def version_on_page() -> str:
            body = app.get(
                f"/dataset/{submitted['id']}", headers={"Authorization": tokens("reviewer")}
            ).body
            found = set(re.findall(r'name="version" value="([^"]+)"', body))
            assert len(found) == 1, found
            return found.pop()

        read = version_on_page()
        assert read == submitted["metadata_modified"]
        act(people, "reviewer2", "yiyang_review_return", id=submitted["id"], opinion="改为对外")
        act(people, "a_editor", "package_patch", id=submitted["id"], disclosure_scope="public")
        act(people, "a_editor", "yiyang_review_submit", id=submitted["id"])
        post = {"headers": {"Authorization": tokens("reviewer")}, "follow_redirects": False}
        app.post(f"/dataset/{submitted['id']}/review/approve", data={"version": read}, **post)
        assert status(submitted["id"]) == "submitted"
        app.post(
            f"/dataset/{submitted['id']}/review/approve",
            data={"version": version_on_page()},
            **post,
        )
        assert status(submitted["id"]) == "published"

    def test_a_returned_version_is_not_returned_again(self, people, submitted):
        errors = refused(
            people,
            "reviewer",
            "yiyang_review_return",
            id=submitted["id"],
            opinion="x",
            version="2001-01-01T00:00:00",
        )
        assert "version" in errors
        assert status(submitted["id"]) == "submitted"

    def test_a_change_of_a_published_entry(self, people, entry_factory):
        entry = entry_factory(people["unit_a"]["id"], published=True)
        act(people, "a_editor", "package_patch", id=entry["id"], title="第一次修改")
        act(people, "a_editor", "yiyang_review_submit", id=entry["id"])
        read = act(people, "reviewer", "yiyang_revision_show", id=entry["id"])["version"]
        act(people, "reviewer2", "yiyang_review_return", id=entry["id"], opinion="再改")
        act(people, "a_editor", "package_patch", id=entry["id"], title="第二次修改")
        act(people, "a_editor", "yiyang_review_submit", id=entry["id"])
        refused(people, "reviewer", "yiyang_review_approve", id=entry["id"], version=read)
        assert model.Package.get(entry["id"]).title == entry["title"]
        now = act(people, "reviewer", "yiyang_revision_show", id=entry["id"])["version"]
        approved = act(people, "reviewer", "yiyang_review_approve", id=entry["id"], version=now)
        assert approved["title"] == "第二次修改"

    def test_not_a_version(self, people, submitted):
        errors = refused(
            people, "reviewer", "yiyang_review_approve", id=submitted["id"], version="昨天"
        )
        assert "version" in errors


class TestStateIsNoWayAroundReview:
    """Point 8: CKAN's ``state`` neither hides a published entry nor brings one back."""

    @pytest.mark.parametrize("state", ["deleted", "draft"])
    @pytest.mark.parametrize("role", ["a_editor", "a_admin", "sysadmin"])
    def test_a_published_entry_is_not_hidden(self, people, entry_factory, state, role):
        entry = entry_factory(people["unit_a"]["id"], published=True, disclosure_scope="public")
        for action in ("package_patch", "package_update"):
            data = {"id": entry["id"], "state": state}
            if action == "package_update":
                data = {**act(people, "sysadmin", "package_show", id=entry["id"]), "state": state}
            errors = refused(people, role, action, **data)
            assert "withdrawal" in errors["review_status"][0]
        model.Session.expire_all()
        package = model.Package.get(entry["id"])
        assert package.state == "active" and workflow.status_of(package) == "published"
        assert tk.get_action("package_show")({"user": None}, {"id": entry["id"]})

    def test_the_edit_form_has_no_unpublish_button(self, app, people, entry_factory, tokens):
        entry = entry_factory(people["unit_a"]["id"], published=True)
        page = app.get(
            f"/dataset/edit/{entry['name']}", headers={"Authorization": tokens("a_editor")}
        )
        assert page.status_code == 200 and 'name="save"' in page.body
        assert "go-metadata-unpublish" not in page.body

    def test_package_delete_of_a_published_entry(self, people, entry_factory):
        entry = entry_factory(people["unit_a"]["id"], published=True)
        for role in ("a_editor", "a_admin"):
            refused(people, role, "package_delete", id=entry["id"])
        act(people, "a_admin", "yiyang_review_withdraw", id=entry["id"], reason="停止采集")
        act(people, "a_editor", "package_delete", id=entry["id"])  # withdrawn: may go
        assert model.Package.get(entry["id"]).state == "deleted"

    @pytest.mark.parametrize("role", ["a_admin", "sysadmin"])
    def test_no_undelete_by_editing(self, people, entry_factory, role):
        entry = entry_factory(people["unit_a"]["id"], published=True)
        act(people, "reviewer", "yiyang_review_withdraw", id=entry["id"], reason="过期")
        act(people, "a_admin", "package_delete", id=entry["id"])
        errors = refused(people, role, "package_patch", id=entry["id"], state="active")
        assert "cannot be restored" in errors["review_status"][0]
        model.Session.expire_all()
        assert model.Package.get(entry["id"]).state == "deleted"

    @pytest.mark.parametrize("published", [True, False])
    def test_no_move_to_another_unit_past_review(self, people, entry_factory, published):
        entry = entry_factory(people["unit_a"]["id"], published=published)
        if not published:
            act(people, "a_editor", "yiyang_review_submit", id=entry["id"])
        errors = refused(
            people,
            "sysadmin",
            "package_owner_org_update",
            id=entry["id"],
            organization_id=people["unit_b"]["id"],
        )
        assert "through review" in errors["review_status"][0]
        model.Session.expire_all()
        assert model.Package.get(entry["id"]).owner_org == people["unit_a"]["id"]

    def test_a_draft_may_still_be_finished_and_deleted(self, people, entry_factory):
        entry = entry_factory(people["unit_a"]["id"], state="draft")
        act(people, "a_editor", "package_patch", id=entry["id"], state="active")
        act(people, "a_editor", "package_patch", id=entry["id"], state="deleted")
        assert model.Package.get(entry["id"]).state == "deleted"


class TestDemandFulfil:
    """Point 6: a guessed id, name or code tells nothing of another unit's unpublished entry."""

    @pytest.fixture
    def demand(self, people):
        demand = act(
            people,
            "b_member",
            "yiyang_demand_create",
            title="纳税信息",
            provider_org=people["unit_a"]["id"],
            content="企业纳税信息",
            purpose="核对",
            update_frequency="monthly",
        )
        return act(people, "a_editor", "yiyang_demand_accept", id=demand["id"])

    def test_another_units_unpublished_entry_is_not_found(self, people, entry_factory, demand):
        hidden = entry_factory(people["unit_b"]["id"], title="税务局内部草稿")
        undisclosed = entry_factory(
            people["unit_b"]["id"], published=True, disclosure_scope="undisclosed"
        )
        missing = refused(
            people, "a_editor", "yiyang_demand_fulfil", id=demand["id"], dataset_id="no-such"
        )
        for entry in (hidden, undisclosed):
            for key in ("id", "name", "resource_code"):
                errors = refused(
                    people,
                    "a_editor",
                    "yiyang_demand_fulfil",
                    id=demand["id"],
                    dataset_id=entry[key],
                )
                assert errors == missing, key
                assert entry["title"] not in json.dumps(errors, ensure_ascii=False)
        model.Session.expire_all()
        stored = model.Session.get(Demand, demand["id"])
        assert stored.status == "accepted" and stored.dataset_id is None

    def test_ones_own_draft_must_be_published_first(self, people, entry_factory, demand):
        draft = entry_factory(people["unit_a"]["id"])
        errors = refused(
            people, "a_editor", "yiyang_demand_fulfil", id=demand["id"], dataset_id=draft["id"]
        )
        assert "publish it first" in errors["dataset_id"][0]

    def test_a_published_entry_fulfils(self, people, entry_factory, demand):
        entry = entry_factory(people["unit_a"]["id"], published=True, disclosure_scope="public")
        done = act(
            people, "a_editor", "yiyang_demand_fulfil", id=demand["id"], dataset_id=entry["id"]
        )
        assert done["status"] == "fulfilled" and done["dataset"]["id"] == entry["id"]


class TestOneLiveApplication:
    def test_the_index_refuses_a_second_live_application(self, people, entry_factory):
        """Past the action's own check (as a concurrent request is): the database refuses."""
        entry = entry_factory(people["unit_a"]["id"], published=True, share_type="conditional")
        package = model.Package.get(entry["id"])

        def create():
            return subscription_workflow.create(
                {"user": people["b_member"]["name"]},
                package,
                people["unit_b"]["id"],
                "other",
                "核对",
                [],
                None,
            )

        assert create().status == "pending"
        with pytest.raises(tk.ValidationError) as error:
            create()
        assert "applied for this entry already" in error.value.error_dict["dataset_id"][0]

    def test_live_is_the_indexs_predicate(self):
        """The unique partial index that refuses a second live application names exactly the
        states the state machine calls live (read from the database, not restated here)."""
        definition = model.Session.execute(
            sa.text(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'yiyang_subscription_live_uq'"
            )
        ).scalar_one()
        named = set(re.findall(r"'([a-z_]+)'::text", definition))
        assert named == set(subscription_states.LIVE), definition
        assert {"pending", "approved"} <= named


class TestBoundedImportReport:
    """Point 11: a report of many long values keeps a bounded part of them and says so."""

    def test_long_values_and_many_rows(self):
        report = import_report.ImportReport(file_name="x.xlsx", dry_run=True)
        long_value = "很长的值" * 8000  # 32,000 characters, as a full Excel cell
        for row in range(6, 3006):
            report.add("信息资源", row, "信息资源名称", f"“{long_value}”不是有效的值")
            report.planned_create.append(f"第{row}行：{long_value}")
            report.map("信息资源", row, "更新周期", long_value + str(row), "daily", "每日")
        stored = report.as_dict()
        size = len(json.dumps(stored, ensure_ascii=False).encode("utf-8"))
        assert size <= import_report.MAX_BYTES
        assert stored["truncated"] is True and stored["ok"] is False
        assert stored["counts"]["problems"] == 3000
        assert stored["counts"]["planned_create"] == 3000
        assert 0 < len(stored["problems"]) <= import_report.MAX_ITEMS
        assert all(len(p["message"]) <= import_report.MAX_TEXT for p in stored["problems"])

    def test_a_small_report_is_kept_whole(self):
        report = import_report.ImportReport(file_name="x.xlsx")
        report.add("信息资源", 6, "更新周期", "“偶尔”不是可选的值")
        report.created.append("abc")
        stored = report.as_dict()
        assert stored["truncated"] is False
        assert stored["problems"][0]["message"] == "“偶尔”不是可选的值"
        assert stored["counts"] == {
            "problems": 1,
            "created": 1,
            "updated": 0,
            "unchanged": 0,
            "mapped": 0,
            "planned_create": 0,
            "planned_update": 0,
        }
