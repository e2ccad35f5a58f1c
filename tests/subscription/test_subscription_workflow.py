"""Subscriptions (catalog-model §7): every state and transition, for every role."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

ALL_ROLES = (
    "anonymous",
    "registered",
    "other_unit",
    "applicant_member",
    "applicant_editor",
    "applicant_admin",
    "provider_member",
    "provider_editor",
    "provider_admin",
    "reviewer",
    "sysadmin",
)


def _user(world, role):
    return None if role == "anonymous" else world["users"][role]


class TestCreate:
    def test_unconditional_is_approved_at_once(self, world, act, apply):
        sub = apply("unconditional")
        assert sub["status"] == "approved" and sub["due_date"] is None
        assert sub["applicant_org"] == world["applicant"]["id"]
        assert sub["provider_org"] == world["provider"]["id"]

    def test_conditional_waits_with_a_due_date(self, world, act, apply):
        sub = apply("conditional", data_item_names=["企业名称"], valid_until="2099-12-31")
        assert sub["status"] == "pending" and sub["due_date"]
        assert sub["data_item_names"] == ["企业名称"] and sub["valid_until"] == "2099-12-31"
        assert sub["overdue"] is False

    def test_none_is_refused_with_the_recorded_basis(self, world, act, apply):
        sub = apply("none")
        assert sub["status"] == "rejected"
        assert sub["reason"] == "依据《数据安全法》不予共享"

    @pytest.mark.parametrize(
        "role,allowed",
        [
            ("anonymous", False),
            ("registered", False),
            ("other_unit", True),
            ("applicant_member", True),
            ("applicant_editor", True),
            ("applicant_admin", True),
            ("reviewer", True),
            ("sysadmin", False),  # belongs to no unit: nobody to apply for
        ],
    )
    def test_who_may_apply(self, world, act, apply, role, allowed):
        entry = world["entries"]["conditional"]
        data = {
            "dataset_id": entry["id"],
            "purpose": "work_reference",
            "purpose_detail": "工作参考",
        }
        if allowed:
            assert act("create", _user(world, role), **data)["status"] == "pending"
        else:
            with pytest.raises((tk.NotAuthorized, tk.ValidationError)):
                act("create", _user(world, role), **data)

    @pytest.mark.parametrize("role", ["provider_member", "provider_editor", "provider_admin"])
    def test_the_provider_does_not_apply_for_its_own_entry(self, world, act, apply, role):
        with pytest.raises(tk.ValidationError) as error:
            apply(user=role)
        assert "applicant_org" in error.value.error_dict

    def test_another_units_name_is_refused(self, world, act, apply):
        with pytest.raises(tk.NotAuthorized):
            apply(applicant_org=world["other"]["id"])

    @pytest.mark.parametrize(
        "data,field",
        [
            ({"purpose": "fun"}, "purpose"),
            ({"purpose_detail": ""}, "purpose_detail"),
            ({"data_item_names": ["不存在的字段"]}, "data_item_names"),
            ({"valid_until": "2000-01-01"}, "valid_until"),
            ({"valid_until": "soon"}, "valid_until"),
        ],
    )
    def test_invalid_applications(self, world, act, apply, data, field):
        with pytest.raises(tk.ValidationError) as error:
            apply(**data)
        assert field in error.value.error_dict

    def test_no_second_open_application(self, world, act, apply):
        apply()
        with pytest.raises(tk.ValidationError):
            apply(user="applicant_admin")

    def test_unpublished_entries_cannot_be_applied_for(self, world, act, apply, entry_factory):
        draft = entry_factory(world["provider"]["id"], disclosure_scope="public")
        with pytest.raises((tk.ValidationError, tk.NotAuthorized)):
            act(
                "create",
                world["users"]["reviewer"],
                dataset_id=draft["id"],
                purpose="other",
                purpose_detail="x",
            )


class TestDecisions:
    @pytest.mark.parametrize("role", ALL_ROLES)
    def test_who_may_approve(self, world, act, apply, role):
        sub = apply()
        if role in ("provider_admin", "sysadmin"):
            assert act("approve", _user(world, role), id=sub["id"])["status"] == "approved"
        else:
            with pytest.raises(tk.NotAuthorized):
                act("approve", _user(world, role), id=sub["id"])
            assert act("show", world["users"]["sysadmin"], id=sub["id"])["status"] == "pending"

    @pytest.mark.parametrize("role", ALL_ROLES)
    def test_who_may_reject(self, world, act, apply, role):
        sub = apply()
        if role in ("provider_admin", "sysadmin"):
            result = act("reject", _user(world, role), id=sub["id"], reason="用途不符")
            assert result["status"] == "rejected" and result["reason"] == "用途不符"
            assert result["decided_by"] == world["users"][role]["name"]
        else:
            with pytest.raises(tk.NotAuthorized):
                act("reject", _user(world, role), id=sub["id"], reason="用途不符")

    def test_rejection_needs_a_reason(self, world, act, apply):
        sub = apply()
        with pytest.raises(tk.ValidationError) as error:
            act("reject", world["users"]["provider_admin"], id=sub["id"], reason=" ")
        assert "reason" in error.value.error_dict

    def test_approval_may_set_the_end(self, world, act, apply):
        sub = apply()
        done = act(
            "approve", world["users"]["provider_admin"], id=sub["id"], valid_until="2099-06-30"
        )
        assert done["valid_until"] == "2099-06-30" and done["decided_at"]

    @pytest.mark.parametrize(
        "state,action",
        [
            ("approved", "approve"),
            ("approved", "reject"),
            ("rejected", "approve"),
            ("rejected", "cancel"),
            ("cancelled", "approve"),
            ("cancelled", "cancel"),
        ],
    )
    def test_refused_transitions(self, world, act, apply, state, action):
        sub = apply()
        admin = world["users"]["provider_admin"]
        if state == "approved":
            act("approve", admin, id=sub["id"])
        elif state == "rejected":
            act("reject", admin, id=sub["id"], reason="不符")
        else:
            act("cancel", world["users"]["applicant_member"], id=sub["id"])
        with pytest.raises(tk.ValidationError) as error:
            act(action, admin, id=sub["id"], reason="再次")
        assert "status" in error.value.error_dict

    def test_unknown_subscription(self, world, act, apply):
        with pytest.raises(tk.ObjectNotFound):
            act("approve", world["users"]["provider_admin"], id="nope")


class TestCancel:
    @pytest.mark.parametrize("role", ALL_ROLES)
    @pytest.mark.parametrize("state", ["pending", "approved"])
    def test_who_may_cancel(self, world, act, apply, role, state):
        sub = apply()
        if state == "approved":
            act("approve", world["users"]["provider_admin"], id=sub["id"])
        # the applicant (applicant_member here), the two units' admins, sysadmins
        if role in ("applicant_member", "applicant_admin", "provider_admin", "sysadmin"):
            assert act("cancel", _user(world, role), id=sub["id"])["status"] == "cancelled"
        else:
            with pytest.raises(tk.NotAuthorized):
                act("cancel", _user(world, role), id=sub["id"])


class TestShowAndList:
    @pytest.mark.parametrize("role", ALL_ROLES)
    def test_who_may_see_an_application(self, world, act, apply, role):
        sub = apply()
        sees = role.startswith(("applicant_", "provider_")) or role in ("reviewer", "sysadmin")
        if sees:
            assert act("show", _user(world, role), id=sub["id"])["id"] == sub["id"]
        else:
            with pytest.raises(tk.NotAuthorized):
                act("show", _user(world, role), id=sub["id"])

    def test_lists_by_side(self, world, act, apply):
        mine = apply()
        theirs = apply(user="other_unit")
        users = world["users"]
        applied = act("list", users["applicant_editor"])["results"]
        assert [r["id"] for r in applied] == [mine["id"]]
        received = act("list", users["provider_member"], scope="received")["results"]
        assert {r["id"] for r in received} == {mine["id"], theirs["id"]}
        assert act("list", users["applicant_admin"], scope="received")["count"] == 0
        assert act("list", users["registered"])["count"] == 0
        assert (
            act("list", users["provider_admin"], scope="received", status="approved")["count"] == 0
        )
        with pytest.raises(tk.NotAuthorized):
            act("list", None)
        with pytest.raises(tk.NotAuthorized):
            act("list", users["provider_admin"], scope="escalated")
        with pytest.raises(tk.ValidationError):
            act("list", users["provider_admin"], scope="nonsense")
        with pytest.raises(tk.ValidationError):
            act("list", users["provider_admin"], status="nonsense")


class TestCoordination:
    def test_a_refused_applicant_asks_the_office(self, world, act, apply):
        sub = apply("none")
        users = world["users"]
        with pytest.raises(tk.NotAuthorized):
            act("coordinate", users["provider_admin"], id=sub["id"])
        done = act("coordinate", users["applicant_editor"], id=sub["id"])
        assert done["coordination_requested"] is True
        with pytest.raises(tk.ValidationError):
            act("coordinate", users["applicant_editor"], id=sub["id"])
        escalated = act("list", users["reviewer"], scope="escalated")["results"]
        assert [r["id"] for r in escalated] == [sub["id"]]

    def test_a_pending_application_in_time_is_not_escalated(self, world, act, apply):
        sub = apply()
        with pytest.raises(tk.ValidationError):
            act("coordinate", world["users"]["applicant_member"], id=sub["id"])
