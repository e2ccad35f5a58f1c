"""Usage feedback (issue 14.3, 共享成效评价): once per grant by the applicant unit, the
provider's one reply, aggregates per entry and unit, the desk asking for it, roles."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

RATING = {
    "quality": 4,
    "timeliness": 5,
    "satisfaction": 3,
    "outcome": "用于入学资格审核，减少纸质证明",
}


def fb(action, user, **data):
    return tk.get_action(f"yiyang_feedback_{action}")(
        {"user": user["name"] if user else None}, data
    )


@pytest.fixture
def grant(people, entry_factory):
    """A granted application of the raiser's unit (an unconditional entry: granted at once)."""
    entry = entry_factory(
        people["provider_unit"]["id"],
        published=True,
        title="企业名录",
        disclosure_scope="public",
        share_type="unconditional",
        share_condition="",
    )
    sub = tk.get_action("yiyang_subscription_create")(
        {"user": people["raiser"]["name"]},
        {"dataset_id": entry["id"], "purpose": "work_reference", "purpose_detail": "入学审核"},
    )
    assert sub["status"] == "approved"
    return sub


def test_rate_once_reply_once_and_summary(people, grant):
    result = fb("create", people["raiser"], subscription_id=grant["id"], **RATING)
    assert (result["quality"], result["timeliness"], result["satisfaction"]) == (4, 5, 3)
    with pytest.raises(tk.ValidationError, match="already been rated"):
        fb("create", people["raiser"], subscription_id=grant["id"], **RATING)
    replied = fb("reply", people["admin"], id=result["id"], reply="感谢，数据将按日更新")
    assert replied["reply"] == "感谢，数据将按日更新"
    with pytest.raises(tk.ValidationError, match="already replied"):
        fb("reply", people["editor"], id=result["id"], reply="再回复")
    summary = fb("summary", people["reviewer"])
    assert summary["count"] == 1 and summary["quality"] == 4.0
    assert summary["by_unit"] == [
        {
            "id": people["provider_unit"]["id"],
            "count": 1,
            "quality": 4.0,
            "timeliness": 5.0,
            "satisfaction": 3.0,
        }
    ]
    assert summary["by_entry"][0]["id"] == grant["dataset_id"]
    shown = fb("show", people["member"], subscription_id=grant["id"])
    assert shown["outcome"] == RATING["outcome"]


@pytest.mark.parametrize("value", [0, 6, "x", None, True])
def test_ratings_are_1_to_5(people, grant, value):
    with pytest.raises(tk.ValidationError, match="1 to 5"):
        fb("create", people["raiser"], subscription_id=grant["id"], **{**RATING, "quality": value})


@pytest.mark.parametrize(
    "role", ["anonymous", "raiser", "member", "editor", "admin", "outsider", "reviewer"]
)
def test_roles(people, grant, role):
    user = None if role == "anonymous" else people[role]
    try:
        fb("create", user, subscription_id=grant["id"], **RATING)
        created = True
    except tk.NotAuthorized:
        created = False
    assert created == (role == "raiser")
    if not created:
        fb("create", people["raiser"], subscription_id=grant["id"], **RATING)
    found = fb("show", people["raiser"], subscription_id=grant["id"])
    try:
        fb("reply", user, id=found["id"], reply="回复")
        replied = True
    except tk.NotAuthorized:
        replied = False
    assert replied == (role in ("editor", "admin"))
    try:
        fb("show", user, subscription_id=grant["id"])
        seen = True
    except tk.NotAuthorized:
        seen = False
    assert seen == (role in ("raiser", "member", "editor", "admin", "reviewer"))


def test_desk_slot(people, grant, raise_objection, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.yiyang.feedback.ask_after_days", 0)
    desk = tk.get_action("yiyang_desk_show")({"user": people["raiser"]["name"]}, {})
    assert [i["id"] for i in desk["objections"]["to_rate"]["items"]] == [grant["id"]]
    raise_objection()
    office = tk.get_action("yiyang_desk_show")({"user": people["reviewer"]["name"]}, {})
    assert office["objections"]["to_accept"]["count"] == 1
    fb("create", people["raiser"], subscription_id=grant["id"], **RATING)
    desk = tk.get_action("yiyang_desk_show")({"user": people["raiser"]["name"]}, {})
    assert desk["objections"]["to_rate"]["count"] == 0
