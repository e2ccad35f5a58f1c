"""Issue 12.7: "submit all" (``yiyang_review_submit_many``, the desk's button) with ONE notice
to the reviewers."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories

from ckanext.yiyang.notify.model import Notification

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def desk(world, name: str, **data):
    return world["as_user"](name, "yiyang_desk_show", **data)


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

    def test_submit_all_from_the_desk_page(self, app, desk_world):
        headers = {
            "Authorization": factories.APIToken(user=desk_world["users"]["editor"]["name"])[
                "token"
            ]
        }
        response = app.post(
            "/desk/submit", data={"all_drafts": "true"}, headers=headers, follow_redirects=False
        )
        assert response.status_code == 302 and response.location.endswith("/desk")
        assert all(
            model.Package.get(d["id"]).extras["review_status"] == "submitted"
            for d in desk_world["drafts"]
        )
