"""Issue 12.7: the to-do desk (``yiyang_desk_show``, ``/desk``, the page after login)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

# One world for the module (module_clean_db): these tests only read it.
pytestmark = pytest.mark.usefixtures("with_plugins")


def desk(world, name: str, **data):
    return world["as_user"](name, "yiyang_desk_show", **data)


def _titles(section) -> list[str]:
    return [item.get("title") or item.get("dataset_title") for item in section["items"]]


class TestDeskShow:
    def test_the_unit_editor_sees_drafts_returned_and_demands(self, module_desk_world):
        result = desk(module_desk_world, "editor")
        assert result["roles"] == {"editor": True, "unit_admin": False, "reviewer": False}
        assert result["to_fix"]["count"] == 1 and _titles(result["to_fix"]) == ["退回的资源"]
        assert result["to_submit"]["count"] == 3
        assert sorted(result["to_submit"]["ids"]) == sorted(
            d["id"] for d in module_desk_world["drafts"]
        )
        assert _titles(result["to_answer"]) == ["不动产登记信息"]
        assert result["to_answer"]["items"][0]["due_date"]
        for absent in ("to_review", "to_decide", "to_route"):
            assert absent not in result
        # no objection to its entries, no grant to rate; not the office's queue
        assert result["objections"]["to_verify"] == {"count": 0, "items": []}
        assert result["objections"]["to_rate"] == {"count": 0, "items": []}
        assert "to_accept" not in result["objections"]

    def test_the_unit_admin_decides_applications(self, module_desk_world):
        result = desk(module_desk_world, "admin")
        assert result["to_decide"]["count"] == 1
        (item,) = result["to_decide"]["items"]
        assert item["dataset_title"] == "已发布的资源" and item["due_date"]
        assert item["applicant_org_title"] == "市税务局"

    def test_the_reviewer_reviews_and_routes(self, module_desk_world):
        result = desk(module_desk_world, "reviewer")
        assert result["roles"]["reviewer"] is True
        assert _titles(result["to_review"]) == ["待审核的资源"]
        assert result["to_review"]["overdue_after"] >= 1
        assert _titles(result["to_route"]) == ["无人认领的需求"]
        assert "to_submit" not in result

    def test_a_member_without_edit_rights_and_a_loner(self, module_desk_world):
        member = desk(module_desk_world, "member")
        assert member["roles"] == {"editor": False, "unit_admin": False, "reviewer": False}
        assert "to_submit" not in member
        assert desk(module_desk_world, "loner")["roles"]["editor"] is False

    def test_top_limits_the_items_not_the_count(self, module_desk_world):
        result = desk(module_desk_world, "editor", top=1)
        assert result["to_submit"]["count"] == 3 and len(result["to_submit"]["items"]) == 1

    def test_anonymous_is_refused(self, module_desk_world):
        with pytest.raises(tk.NotAuthorized):
            tk.get_action("yiyang_desk_show")({"user": ""}, {})


class TestPages:
    def _headers(self, world, name):
        token = factories.APIToken(user=world["users"][name]["name"])["token"]
        return {"Authorization": token}

    def test_desk_page_for_the_editor(self, app, module_desk_world):
        page = app.get("/desk", headers=self._headers(module_desk_world, "editor"))
        assert page.status_code == 200
        for text in ("退回的资源", "草稿资源0", "不动产登记信息", 'id="yiyang-desk-submit-all"'):
            assert text in page.body
        assert 'id="desk-to_review"' not in page.body

    def test_every_page_links_to_the_desk(self, app, module_desk_world):
        page = app.get("/dataset/", headers=self._headers(module_desk_world, "member"))
        assert 'class="yiyang-desk-link"' in page.body and 'href="/desk"' in page.body
        assert 'class="yiyang-desk-link"' not in app.get("/dataset/").body

    def test_anonymous_visitors_log_in_first(self, app):
        response = app.get("/desk", follow_redirects=False)
        assert response.status_code == 302 and "/user/login" in response.location

    def test_the_desk_is_the_page_after_login(self, app):
        assert tk.config["ckan.auth.route_after_login"] == "yiyang_desk.index"
        response = app.get("/user/me", follow_redirects=False)  # where login sends a user
        assert response.status_code == 302 and response.location.endswith("/desk")
