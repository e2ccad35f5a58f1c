"""Demands (catalog-model §8): every state and transition, for every role, with refusals."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

ROLES = ("anonymous", "requester", "member", "editor", "admin", "outsider", "reviewer", "sysadmin")


def act(action, user, **data):
    """``yiyang_demand_<action>`` as ``user`` (None: anonymous), its auth function checked."""
    return tk.get_action(f"yiyang_demand_{action}")({"user": user["name"] if user else None}, data)


def who(people, role):
    return None if role == "anonymous" else people[role]


def allowed(action, people, role, **data):
    try:
        act(action, who(people, role), **data)
    except tk.NotAuthorized:
        return False
    return True


class TestCreate:
    def test_a_unit_member_raises_a_demand_for_their_unit(self, people):
        demand = act(
            "create",
            people["requester"],
            title="户籍人口信息",
            provider_org=people["provider_unit"]["name"],
            content="全市户籍人口信息",
            purpose="入学审核",
            update_frequency="monthly",
        )
        assert demand["status"] == "submitted"
        assert demand["requester_org"] == people["requester_unit"]["id"]
        assert demand["provider_org"] == people["provider_unit"]["id"]
        assert demand["requester_user"] == people["requester"]["name"]
        assert demand["due_date"] and demand["overdue"] is False

    def test_fields_of_the_survey_form_are_required(self, people):
        with pytest.raises(tk.ValidationError) as error:
            act("create", people["requester"], title="", update_frequency="hourly")
        assert set(error.value.error_dict) >= {"title", "content", "purpose", "update_frequency"}

    def test_provider_is_optional(self, raise_demand):
        assert raise_demand(provider=False)["provider_org"] is None

    def test_anonymous_cannot(self, people):
        with pytest.raises(tk.NotAuthorized):
            act("create", None, title="x", content="x", purpose="x", update_frequency="daily")

    def test_a_user_of_no_unit_cannot(self, people):
        from ckan.tests import factories

        with pytest.raises(tk.NotAuthorized):
            act(
                "create",
                factories.User(),
                title="x",
                content="x",
                purpose="x",
                update_frequency="daily",
            )

    def test_only_for_ones_own_unit(self, people):
        with pytest.raises(tk.ValidationError) as error:
            act(
                "create",
                people["requester"],
                title="x",
                content="x",
                purpose="x",
                update_frequency="daily",
                requester_org=people["third_unit"]["name"],
            )
        assert "requester_org" in error.value.error_dict

    def test_provider_must_be_another_known_unit(self, people):
        for provider in (people["requester_unit"]["name"], "no-such-unit"):
            with pytest.raises(tk.ValidationError) as error:
                act(
                    "create",
                    people["requester"],
                    title="x",
                    content="x",
                    purpose="x",
                    update_frequency="daily",
                    provider_org=provider,
                )
            assert "provider_org" in error.value.error_dict


class TestWhoSees:
    def test_show_and_list_by_role(self, people, raise_demand):
        demand = raise_demand()
        sees = {role: allowed("show", people, role, id=demand["id"]) for role in ROLES}
        assert sees == {
            "anonymous": False,
            "requester": True,
            "member": True,
            "editor": True,
            "admin": True,
            "outsider": False,
            "reviewer": True,
            "sysadmin": True,
        }
        listed = {
            role: act("list", people[role])["count"] for role in ROLES if role != "anonymous"
        }
        assert listed == {r: 1 if sees[r] else 0 for r in listed}
        with pytest.raises(tk.NotAuthorized):
            act("list", None)

    def test_list_by_role_and_state(self, people, raise_demand):
        raise_demand(title="有提供单位的")
        raise_demand(provider=False, title="无提供单位的")
        titles = lambda user, **kw: {d["title"] for d in act("list", user, **kw)["results"]}  # noqa: E731
        assert titles(people["requester"], role="requested") == {"有提供单位的", "无提供单位的"}
        assert titles(people["editor"], role="provided") == {"有提供单位的"}
        assert titles(people["editor"], role="requested") == set()
        assert titles(people["reviewer"], role="unrouted") == {"无提供单位的"}
        assert titles(people["editor"], role="unrouted") == set()
        assert titles(people["reviewer"], status="accepted") == set()
        assert len(titles(people["reviewer"], status="open")) == 2
        with pytest.raises(tk.ValidationError):
            act("list", people["reviewer"], status="nonsense")
        with pytest.raises(tk.ValidationError):
            act("list", people["reviewer"], role="nonsense")

    def test_unknown_demand(self, people):
        with pytest.raises(tk.ObjectNotFound):
            act("show", people["reviewer"], id="nope")


class TestTransitions:
    @pytest.mark.parametrize("action", ["accept", "reject"])
    def test_who_answers(self, people, raise_demand, action):
        expected = {
            "anonymous": False,
            "requester": False,
            "member": False,
            "editor": True,
            "admin": True,
            "outsider": False,
            "reviewer": False,
            "sysadmin": True,
        }
        for role, ok in expected.items():
            demand = raise_demand()
            assert allowed(action, people, role, id=demand["id"], reason="无此数据") is ok, role

    def test_the_whole_round_accept_then_fulfil(self, people, raise_demand, entry_factory):
        entry = entry_factory(people["provider_unit"]["id"], published=True)
        demand = raise_demand()
        accepted = act("accept", people["editor"], id=demand["id"])
        assert accepted["status"] == "accepted"
        with pytest.raises(tk.ValidationError):
            act("accept", people["editor"], id=demand["id"])  # already accepted
        for role in ("requester", "member", "outsider", "reviewer"):
            assert not allowed("fulfil", people, role, id=demand["id"], dataset_id=entry["id"])
        fulfilled = act("fulfil", people["admin"], id=demand["id"], dataset_id=entry["name"])
        assert fulfilled["status"] == "fulfilled"
        shown = act("show", people["requester"], id=demand["id"])
        assert shown["dataset"]["id"] == entry["id"] and shown["overdue"] is False
        # the requester sees the entry that meets the demand
        tk.get_action("package_show")({"user": people["requester"]["name"]}, {"id": entry["id"]})

    def test_fulfil_only_once_accepted_and_with_an_entry(
        self, people, raise_demand, entry_factory
    ):
        demand = raise_demand()
        entry = entry_factory(people["provider_unit"]["id"], published=True)
        with pytest.raises(tk.ValidationError):
            act("fulfil", people["editor"], id=demand["id"], dataset_id=entry["id"])
        act("accept", people["editor"], id=demand["id"])
        for missing in ("", "no-such-entry"):
            with pytest.raises(tk.ValidationError) as error:
                act("fulfil", people["editor"], id=demand["id"], dataset_id=missing)
            assert "dataset_id" in error.value.error_dict

    def test_fulfil_refused_with_an_entry_the_requester_cannot_see(
        self, people, raise_demand, entry_factory
    ):
        draft = entry_factory(people["provider_unit"]["id"])  # not published
        undisclosed = entry_factory(
            people["provider_unit"]["id"], published=True, disclosure_scope="undisclosed"
        )
        demand = raise_demand()
        act("accept", people["editor"], id=demand["id"])
        for entry in (draft, undisclosed):
            with pytest.raises(tk.ValidationError) as error:
                act("fulfil", people["editor"], id=demand["id"], dataset_id=entry["id"])
            assert "dataset_id" in error.value.error_dict
        assert act("show", people["editor"], id=demand["id"])["status"] == "accepted"

    def test_reject_needs_a_reason(self, people, raise_demand):
        demand = raise_demand()
        with pytest.raises(tk.ValidationError) as error:
            act("reject", people["editor"], id=demand["id"], reason="  ")
        assert "reason" in error.value.error_dict
        rejected = act("reject", people["editor"], id=demand["id"], reason="该数据涉及个人隐私")
        assert rejected["status"] == "rejected"
        assert rejected["reason"] == "该数据涉及个人隐私"
        with pytest.raises(tk.ValidationError):
            act("accept", people["editor"], id=demand["id"])

    def test_reject_after_acceptance(self, people, raise_demand):
        demand = raise_demand()
        act("accept", people["editor"], id=demand["id"])
        assert (
            act("reject", people["admin"], id=demand["id"], reason="数据尚未采集")["status"]
            == "rejected"
        )

    @pytest.mark.parametrize("state", ["submitted", "accepted", "fulfilled", "rejected"])
    def test_close_from_any_state(self, people, raise_demand, entry_factory, state):
        demand = raise_demand()
        if state in ("accepted", "fulfilled"):
            act("accept", people["editor"], id=demand["id"])
        if state == "fulfilled":
            entry = entry_factory(people["provider_unit"]["id"], published=True)
            act("fulfil", people["editor"], id=demand["id"], dataset_id=entry["id"])
        if state == "rejected":
            act("reject", people["editor"], id=demand["id"], reason="无")
        assert act("show", people["requester"], id=demand["id"])["status"] == state
        assert act("close", people["requester"], id=demand["id"])["status"] == "closed"
        with pytest.raises(tk.ValidationError):
            act("close", people["requester"], id=demand["id"])
        for action in ("accept", "reject"):
            with pytest.raises(tk.ValidationError):
                act(action, people["editor"], id=demand["id"], reason="x")

    def test_who_closes(self, people, raise_demand):
        expected = {
            "anonymous": False,
            "requester": True,
            "member": False,
            "editor": False,
            "admin": False,
            "outsider": False,
            "reviewer": True,
            "sysadmin": True,
        }
        for role, ok in expected.items():
            demand = raise_demand()
            assert allowed("close", people, role, id=demand["id"]) is ok, role


class TestRouting:
    def test_the_office_routes_a_demand_without_provider(self, people, raise_demand):
        demand = raise_demand(provider=False)
        for role in ("anonymous", "requester", "editor", "outsider"):
            assert not allowed(
                "route", people, role, id=demand["id"], provider_org=people["provider_unit"]["id"]
            )
        with pytest.raises(tk.NotAuthorized):
            act("accept", people["editor"], id=demand["id"])  # not yet theirs
        with pytest.raises(tk.ValidationError):
            act("route", people["reviewer"], id=demand["id"], provider_org="")
        with pytest.raises(tk.ValidationError):
            act("route", people["reviewer"], id=demand["id"], provider_org="no-such-unit")
        routed = act(
            "route",
            people["reviewer"],
            id=demand["id"],
            provider_org=people["provider_unit"]["name"],
        )
        assert routed["provider_org"] == people["provider_unit"]["id"]
        assert act("list", people["editor"], role="provided")["count"] == 1
        act("accept", people["editor"], id=demand["id"])
        with pytest.raises(tk.ValidationError):  # only while waiting to be accepted
            act(
                "route",
                people["reviewer"],
                id=demand["id"],
                provider_org=people["third_unit"]["id"],
            )
        assert allowed(
            "route",
            people,
            "sysadmin",
            id=raise_demand(provider=False)["id"],
            provider_org=people["provider_unit"]["id"],
        )


class TestComments:
    def test_who_comments(self, people, raise_demand):
        demand = raise_demand()
        expected = {
            "anonymous": False,
            "requester": True,
            "member": True,
            "editor": True,
            "admin": True,
            "outsider": False,
            "reviewer": True,
            "sysadmin": True,
        }
        for role, ok in expected.items():
            assert allowed("comment", people, role, id=demand["id"], body=f"{role}的意见") is ok
        comments = act("show", people["requester"], id=demand["id"])["comments"]
        assert [c["body"] for c in comments] == [f"{r}的意见" for r, ok in expected.items() if ok]
        assert comments[0]["user"] == people["requester"]["name"]

    def test_a_comment_has_a_body(self, people, raise_demand):
        demand = raise_demand()
        with pytest.raises(tk.ValidationError):
            act("comment", people["requester"], id=demand["id"], body=" ")
