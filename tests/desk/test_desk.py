"""Issue 12.7: the to-do desk (``yiyang_desk_show``, ``/desk``, the page after login) and
"submit all" (``yiyang_review_submit_many``) with ONE notice to the reviewers."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories

from ckanext.yiyang.notify.model import Notification

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def desk(world, name: str, **data):
    return world["as_user"](name, "yiyang_desk_show", **data)


def _titles(section) -> list[str]:
    return [item.get("title") or item.get("dataset_title") for item in section["items"]]


class TestDeskShow:
    def test_the_unit_editor_sees_drafts_returned_and_demands(self, desk_world):
        result = desk(desk_world, "editor")
        assert result["roles"] == {"editor": True, "unit_admin": False, "reviewer": False}
        assert result["to_fix"]["count"] == 1 and _titles(result["to_fix"]) == ["退回的资源"]
        assert result["to_submit"]["count"] == 3
        assert sorted(result["to_submit"]["ids"]) == sorted(d["id"] for d in desk_world["drafts"])
        assert _titles(result["to_answer"]) == ["不动产登记信息"]
        assert result["to_answer"]["items"][0]["due_date"]
        for absent in ("to_review", "to_decide", "to_route"):
            assert absent not in result
        assert result["objections"] is None

    def test_the_unit_admin_decides_applications(self, desk_world):
        result = desk(desk_world, "admin")
        assert result["to_decide"]["count"] == 1
        (item,) = result["to_decide"]["items"]
        assert item["dataset_title"] == "已发布的资源" and item["due_date"]
        assert item["applicant_org_title"] == "市税务局"

    def test_the_reviewer_reviews_and_routes(self, desk_world):
        result = desk(desk_world, "reviewer")
        assert result["roles"]["reviewer"] is True
        assert _titles(result["to_review"]) == ["待审核的资源"]
        assert result["to_review"]["overdue_after"] >= 1
        assert _titles(result["to_route"]) == ["无人认领的需求"]
        assert "to_submit" not in result

    def test_a_member_without_edit_rights_and_a_loner(self, desk_world):
        member = desk(desk_world, "member")
        assert member["roles"] == {"editor": False, "unit_admin": False, "reviewer": False}
        assert "to_submit" not in member
        assert desk(desk_world, "loner")["roles"]["editor"] is False

    def test_top_limits_the_items_not_the_count(self, desk_world):
        result = desk(desk_world, "editor", top=1)
        assert result["to_submit"]["count"] == 3 and len(result["to_submit"]["items"]) == 1

    def test_anonymous_is_refused(self, desk_world):
        with pytest.raises(tk.NotAuthorized):
            tk.get_action("yiyang_desk_show")({"user": ""}, {})


class TestSubmitMany:
    def _reviewer_notices(self, world) -> list[Notification]:
        return (
            model.Session.query(Notification)
            .filter_by(user_id=world["users"]["reviewer"]["id"])
            .filter(Notification.kind.like("review_submitted%"))
            .all()
        )

    def test_row_by_row_with_one_notice(self, desk_world):
        before = len(self._reviewer_notices(desk_world))
        ids = [d["name"] for d in desk_world["drafts"]] + [desk_world["published"]["id"]]
        result = desk_world["as_user"]("editor", "yiyang_review_submit_many", ids=ids)
        assert sorted(r["title"] for r in result["submitted"]) == [
            "草稿资源0",
            "草稿资源1",
            "草稿资源2",
        ]
        # a published entry without a pending change cannot be submitted: reported, not fatal
        (failed,) = result["failed"]
        assert failed["title"] == "已发布的资源" and failed["errors"]
        for draft in desk_world["drafts"]:
            assert model.Package.get(draft["id"]).extras["review_status"] == "submitted"
        notices = self._reviewer_notices(desk_world)[before:]
        assert len(notices) == 1  # not one per entry
        (notice,) = notices
        assert notice.kind == "review_submitted_batch"
        assert "3" in notice.title
        assert all(f"草稿资源{i}" in notice.body for i in range(3))
        assert (
            notice.link
            == f"/review?status=submitted&submitter={desk_world['users']['editor']['name']}"
        )
        # the submitter is not told about their own batch
        assert not (
            model.Session.query(Notification)
            .filter_by(user_id=desk_world["users"]["editor"]["id"], kind="review_submitted_batch")
            .count()
        )

    def test_all_drafts_of_the_users_units(self, desk_world):
        result = desk_world["as_user"]("editor", "yiyang_review_submit_many", all_drafts=True)
        assert len(result["submitted"]) == 3 and result["failed"] == []
        assert desk(desk_world, "editor")["to_submit"]["count"] == 0
        assert desk(desk_world, "reviewer")["to_review"]["count"] == 4

    def test_another_units_entries_are_refused_per_row(self, desk_world, make_unit, entry_factory):
        theirs = entry_factory(make_unit(title="市财政局")["id"], title="别人的草稿")
        result = desk_world["as_user"]("editor", "yiyang_review_submit_many", ids=[theirs["id"]])
        assert result["submitted"] == [] and result["failed"][0]["title"] == "别人的草稿"
        assert model.Package.get(theirs["id"]).extras.get("review_status") in (None, "draft")

    def test_who_may_and_what_is_asked(self, desk_world):
        with pytest.raises(tk.NotAuthorized):
            desk_world["as_user"]("member", "yiyang_review_submit_many", all_drafts=True)
        with pytest.raises(tk.ValidationError) as error:
            desk_world["as_user"]("editor", "yiyang_review_submit_many")
        assert "ids" in error.value.error_dict
        with pytest.raises(tk.ValidationError):
            desk_world["as_user"](
                "editor", "yiyang_review_submit_many", ids=[f"x{i}" for i in range(501)]
            )


class TestPages:
    def _headers(self, world, name):
        token = factories.APIToken(user=world["users"][name]["name"])["token"]
        return {"Authorization": token}

    def test_desk_page_for_the_editor(self, app, desk_world):
        page = app.get("/desk", headers=self._headers(desk_world, "editor"))
        assert page.status_code == 200
        for text in ("退回的资源", "草稿资源0", "不动产登记信息", 'id="yiyang-desk-submit-all"'):
            assert text in page.body
        assert 'id="desk-to_review"' not in page.body

    def test_submit_all_from_the_desk(self, app, desk_world):
        headers = self._headers(desk_world, "editor")
        response = app.post(
            "/desk/submit", data={"all_drafts": "true"}, headers=headers, follow_redirects=False
        )
        assert response.status_code == 302 and response.location.endswith("/desk")
        assert all(
            model.Package.get(d["id"]).extras["review_status"] == "submitted"
            for d in desk_world["drafts"]
        )

    def test_every_page_links_to_the_desk(self, app, desk_world):
        page = app.get("/dataset/", headers=self._headers(desk_world, "member"))
        assert 'class="yiyang-desk-link"' in page.body and 'href="/desk"' in page.body
        assert 'class="yiyang-desk-link"' not in app.get("/dataset/").body

    def test_anonymous_visitors_log_in_first(self, app):
        response = app.get("/desk", follow_redirects=False)
        assert response.status_code == 302 and "/user/login" in response.location

    def test_the_desk_is_the_page_after_login(self, app):
        assert tk.config["ckan.auth.route_after_login"] == "yiyang_desk.index"
        response = app.get("/user/me", follow_redirects=False)  # where login sends a user
        assert response.status_code == 302 and response.location.endswith("/desk")
