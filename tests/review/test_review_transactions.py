"""Review transitions commit as CKAN's actions do: not with ``defer_commit`` (the caller
commits or rolls back, and a rollback leaves no trace: state, history, working copy, notices),
else at once."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories

from ckanext.yiyang import config
from ckanext.yiyang.notify.model import Notification
from ckanext.yiyang.review.model import ReviewEvent, Revision

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def people(make_unit):
    editor, reviewer = factories.User(), factories.User()
    unit = make_unit(users=[{"name": editor["name"], "capacity": "editor"}])
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": reviewer["name"], "capacity": "member"}],
    )
    return {"unit": unit, "editor": editor, "reviewer": reviewer}


def _call(action: str, user: dict, defer: bool, **data):
    context = {"user": user["name"], "defer_commit": defer}
    return tk.get_action(f"yiyang_review_{action}")(context, data)


def _status(entry_id: str) -> str:
    return model.Package.get(entry_id).extras.get("review_status") or "draft"


def _events(entry_id: str) -> int:
    return model.Session.query(ReviewEvent).filter_by(package_id=entry_id).count()


def _notices() -> int:
    return model.Session.query(Notification).count()


@pytest.mark.parametrize("defer", [True, False])
def test_submit_and_approve(people, entry_factory, defer):
    entry = entry_factory(people["unit"]["id"])
    notices = _notices()
    submitted = _call("submit", people["editor"], defer, id=entry["id"])
    assert submitted["id"] == entry["id"] and submitted["review_status"] == "submitted"
    model.Session.rollback()
    assert _status(entry["id"]) == ("draft" if defer else "submitted")
    assert _events(entry["id"]) == (0 if defer else 1)
    assert (_notices() > notices) is not defer  # the reviewers are told

    if defer:
        _call("submit", people["editor"], False, id=entry["id"])
    approved = _call("approve", people["reviewer"], defer, id=entry["id"])
    assert approved["review_status"] == "published" and approved["release_date"]
    model.Session.rollback()
    assert _status(entry["id"]) == ("submitted" if defer else "published")
    assert bool(model.Package.get(entry["id"]).extras.get("release_date")) is not defer


@pytest.mark.parametrize("defer", [True, False])
def test_a_change_of_a_published_entry(people, entry_factory, defer):
    entry = entry_factory(people["unit"]["id"], published=True)
    context = {"user": people["editor"]["name"], "defer_commit": defer}
    tk.get_action("package_patch")(context, {"id": entry["id"], "title": "修改后的名称"})
    model.Session.rollback()
    assert (model.Session.get(Revision, entry["id"]) is None) is defer
    assert model.Package.get(entry["id"]).title == entry["title"]  # published as it was


def test_a_deferred_step_is_written_when_the_caller_commits(people, entry_factory):
    entry = entry_factory(people["unit"]["id"])
    _call("submit", people["editor"], True, id=entry["id"])
    model.Session.commit()
    assert _status(entry["id"]) == "submitted" and _events(entry["id"]) == 1


def test_a_deferred_submission_is_checked(people, entry_factory):
    entry = entry_factory(people["unit"]["id"])
    model.Package.get(entry["id"]).notes = ""  # as a draft saved half-filled
    model.Session.commit()
    with pytest.raises(tk.ValidationError) as raised:
        _call("submit", people["editor"], True, id=entry["id"])
    assert "notes" in raised.value.error_dict
