"""The application lifecycle of 2025 (issue 14 point 1, catalog-model §11): 依据, 应用场景 and
使用范围; the office's compliance review; the provider's answer in 5 or 10 working days; the
refusal contested, negotiated and coordinated to the office's binding decision; grants
expiring, expired, revoked and renewed — each transition, deadline (across 国庆, 春节 and a
make-up working day), role and refusal."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from freezegun import freeze_time

from ckanext.yiyang.subscription import access, jobs

pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
    pytest.mark.ckan_config("ckanext.yiyang.subscription.compliance_review", True),
    pytest.mark.ckan_config("ckanext.yiyang.subscription.require_basis", True),
]

ROLES = (
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
BASIS = {
    "basis": "《政务数据共享条例》第十五条",
    "scenario": "企业开办一件事联办",
    "scope_of_use": "本局登记窗口，仅用于核验",
}


def _user(world, role):
    return None if role == "anonymous" else world["users"][role]


def _inbox(user) -> list[dict]:
    return tk.get_action("yiyang_notification_list")({"user": user["name"]}, {})["results"]


@pytest.fixture
def file(apply):
    """``file(share="conditional", **data)``: an application stating its basis."""

    def make(share: str = "conditional", **data):
        return apply(share, **{**BASIS, **data})

    return make


def _empty_entry(world, entry_factory):
    """A published conditional entry with no data attached."""
    return entry_factory(
        world["provider"]["id"],
        published=True,
        title="无数据的条目",
        share_type="conditional",
        disclosure_scope="public",
    )


def _reads(world, sub) -> bool:
    """The applicant unit reads the entry's data (the rule every data path asks)."""
    return sub["dataset_id"] in access.granted(
        None, units=[world["applicant"]["id"]], entry_ids=[sub["dataset_id"]]
    )


class TestTheFields:
    @pytest.mark.parametrize(
        "field,word", [("basis", "依据"), ("scenario", "应用场景"), ("scope_of_use", "使用范围")]
    )
    def test_required_and_named(self, file, field, word):
        with pytest.raises(tk.ValidationError) as error:
            file(**{field: "  "})
        assert list(error.value.error_dict) == [field]
        assert word in error.value.error_dict[field][0]

    def test_stored_with_all_items_by_default(self, file):
        sub = file(valid_until="2099-12-31")
        assert {k: sub[k] for k in BASIS} == BASIS
        assert sub["data_item_names"] == [] and sub["valid_until"] == "2099-12-31"

    def test_optional_when_switched_off(self, apply, monkeypatch):
        monkeypatch.setitem(tk.config, "ckanext.yiyang.subscription.require_basis", False)
        assert apply()["basis"] == ""


class TestRouting:
    def test_unconditional_after_the_review_is_granted_and_the_provider_told(
        self, world, act, file
    ):
        sub = file("unconditional")
        assert sub["status"] == "checking" and sub["due_date"]
        assert any(n["kind"] == "subscription_check" for n in _inbox(world["users"]["reviewer"]))
        done = act("check", world["users"]["reviewer"], id=sub["id"], passed=True)
        assert done["status"] == "approved" and done["lifecycle"] == "granted"
        assert any(
            n["kind"] == "subscription_check" for n in _inbox(world["users"]["provider_admin"])
        )

    def test_conditional_with_data_goes_to_the_provider_for_5_days(self, world, act, file):
        with freeze_time("2025-10-10 02:00:00"):
            sub = file()
            done = act("check", world["users"]["reviewer"], id=sub["id"], passed=True)
        # 10-11 (a Saturday) is a make-up working day
        assert done["status"] == "pending" and done["due_date"] == "2025-10-16"
        assert done["has_data"] is True
        assert not _reads(world, done)
        granted = act("approve", world["users"]["provider_admin"], id=sub["id"])
        assert granted["lifecycle"] == "granted" and _reads(world, granted)

    def test_conditional_without_data_has_10_days_and_must_attach_it(
        self, world, act, apply, entry_factory
    ):
        entry = _empty_entry(world, entry_factory)
        with freeze_time("2026-02-24 02:00:00"):
            sub = act(
                "create",
                world["users"]["applicant_member"],
                dataset_id=entry["id"],
                purpose="work_reference",
                purpose_detail="核验",
                **BASIS,
            )
            done = act("check", world["users"]["reviewer"], id=sub["id"], passed=True)
        assert done["due_date"] == "2026-03-09" and done["has_data"] is False
        admin = world["users"]["provider_admin"]
        with pytest.raises(tk.ValidationError) as error:
            act("approve", admin, id=sub["id"])
        assert "dataset_id" in error.value.error_dict
        assert act("show", admin, id=sub["id"])["status"] == "pending"
        tk.get_action("resource_create")(
            {"user": world["users"]["sysadmin"]["name"]},
            {"package_id": entry["id"], "name": "数据", "url": "https://data.yiyang.test/x.csv"},
        )
        assert act("approve", admin, id=sub["id"])["status"] == "approved"

    def test_none_is_refused_with_the_recorded_basis(self, file):
        sub = file("none")
        assert sub["status"] == "rejected" and sub["reason"] == "依据《数据安全法》不予共享"

    def test_without_the_review_the_2016_flow(self, world, file, monkeypatch):
        monkeypatch.setitem(tk.config, "ckanext.yiyang.subscription.compliance_review", False)
        assert file("unconditional")["status"] == "approved"

    def test_failing_needs_an_opinion_and_refuses(self, world, act, file):
        sub = file()
        reviewer = world["users"]["reviewer"]
        with pytest.raises(tk.ValidationError) as error:
            act("check", reviewer, id=sub["id"], passed=False)
        assert "opinion" in error.value.error_dict
        done = act("check", reviewer, id=sub["id"], passed=False, opinion="用途与依据不符")
        assert done["status"] == "rejected" and done["reason"] == "用途与依据不符"
        assert [h["action"] for h in done["history"]] == ["create", "fail"]

    @pytest.mark.parametrize("role", ROLES)
    def test_who_may_check(self, world, act, file, role):
        sub = file()
        if role in ("reviewer", "sysadmin"):
            assert act("check", _user(world, role), id=sub["id"], passed=True)["status"] == (
                "pending"
            )
        else:
            with pytest.raises(tk.NotAuthorized):
                act("check", _user(world, role), id=sub["id"], passed=True)

    def test_checked_once(self, world, act, file):
        sub = file()
        act("check", world["users"]["reviewer"], id=sub["id"], passed=True)
        with pytest.raises(tk.ValidationError) as error:
            act("check", world["users"]["reviewer"], id=sub["id"], passed=False, opinion="x")
        assert "status" in error.value.error_dict

    def test_the_provider_cannot_answer_before_the_review(self, world, act, file):
        sub = file()
        with pytest.raises(tk.ValidationError):
            act("approve", world["users"]["provider_admin"], id=sub["id"])


class TestDeadlines:
    def test_review_across_national_day(self, world, act, file):
        with freeze_time("2025-09-30 02:00:00"):  # 10-01..10-08 off
            sub = file()
        assert sub["due_date"] == "2025-10-10"
        with freeze_time("2025-10-10 09:00:00"):
            assert act("show", world["users"]["reviewer"], id=sub["id"])["overdue"] is False
        with freeze_time("2025-10-11 02:00:00"):  # a Saturday, but a working day
            late = act("show", world["users"]["reviewer"], id=sub["id"])
            assert late["overdue"] is True
            assert sub["id"] in {
                r["id"] for r in act("list", world["users"]["reviewer"], scope="checks")["results"]
            }
            done = act("check", world["users"]["reviewer"], id=sub["id"], passed=True)
        assert done["late"] is True and done["history"][-1]["late"] is True

    def test_review_across_spring_festival(self, file):
        with freeze_time("2026-02-13 02:00:00"):  # 02-14 works, 02-15..23 off
            assert file()["due_date"] == "2026-02-24"

    @pytest.mark.ckan_config("ckanext.yiyang.subscription.check_days", 3)
    @pytest.mark.ckan_config("ckanext.yiyang.subscription.answer_days_with_data", 4)
    def test_configurable(self, world, act, file):
        with freeze_time("2026-02-24 02:00:00"):
            sub = file()
            assert sub["due_date"] == "2026-02-27"
            done = act("check", world["users"]["reviewer"], id=sub["id"], passed=True)
        assert done["due_date"] == "2026-02-28"  # a make-up Saturday

    def test_negotiation_and_coordination_across_the_holidays(self, world, act, file):
        users = world["users"]
        sub = file("none")
        with freeze_time("2026-02-12 02:00:00"):
            talk = act("negotiate", users["applicant_member"], id=sub["id"], message="请再议")
        assert talk["status"] == "negotiating" and talk["due_date"] == "2026-02-26"
        with freeze_time("2025-09-26 02:00:00"):
            office = act("coordinate", users["applicant_member"], id=sub["id"])
        assert office["status"] == "coordinating" and office["due_date"] == "2025-10-16"


class TestDispute:
    def test_refusal_negotiation_coordination_decision(self, world, act, file):
        users = world["users"]
        sub = file()
        act("check", users["reviewer"], id=sub["id"], passed=True)
        with pytest.raises(tk.ValidationError) as error:
            act("reject", users["provider_admin"], id=sub["id"])
        assert "reason" in error.value.error_dict
        act("reject", users["provider_admin"], id=sub["id"], reason="涉及商业秘密")
        # the provider does not contest its own refusal
        with pytest.raises(tk.ValidationError):
            act("negotiate", users["provider_admin"], id=sub["id"], message="我方维持")
        act("negotiate", users["applicant_member"], id=sub["id"], message="仅用于核验")
        thread = act("negotiate", users["provider_admin"], id=sub["id"], message="需脱敏")
        messages = [(h["org_title"], h["note"]) for h in thread["history"] if h["note"]][-2:]
        assert messages == [("市税务局", "仅用于核验"), ("市市场监督管理局", "需脱敏")]
        assert any(
            n["kind"] == "subscription_negotiate" for n in _inbox(users["applicant_member"])
        )
        with pytest.raises(tk.NotAuthorized):
            act("decide", users["provider_admin"], id=sub["id"], granted=True, reason="x")
        with pytest.raises(tk.ValidationError):  # not asked to coordinate yet
            act("decide", users["reviewer"], id=sub["id"], granted=True, reason="x")
        act("coordinate", users["applicant_member"], id=sub["id"])
        with pytest.raises(tk.ValidationError) as error:
            act("decide", users["reviewer"], id=sub["id"], granted=True, reason=" ")
        assert "reason" in error.value.error_dict
        done = act(
            "decide", users["reviewer"], id=sub["id"], granted=True, reason="依条例应予共享"
        )
        assert done["lifecycle"] == "granted" and done["reason"] == "依条例应予共享"
        assert _reads(world, done)
        steps = [h["action"] for h in done["history"]]
        assert steps == [
            "create",
            "pass",
            "reject",
            "contest",
            "negotiate",
            "coordinate",
            "decide_grant",
        ]

    def test_the_office_refuses_for_good(self, world, act, file):
        users = world["users"]
        sub = file("none")
        act("coordinate", users["applicant_member"], id=sub["id"])
        done = act("decide", users["reviewer"], id=sub["id"], granted=False, reason="确不予共享")
        assert done["status"] == "refused"
        for action, data in (("negotiate", {"message": "再议"}), ("coordinate", {})):
            with pytest.raises(tk.ValidationError):
                act(action, users["applicant_member"], id=sub["id"], **data)

    def test_the_provider_may_settle_during_negotiation(self, world, act, file):
        users = world["users"]
        sub = file()
        act("check", users["reviewer"], id=sub["id"], passed=True)
        act("reject", users["provider_admin"], id=sub["id"], reason="不符")
        act("negotiate", users["applicant_member"], id=sub["id"], message="补充说明")
        assert act("approve", users["provider_admin"], id=sub["id"])["status"] == "approved"

    @pytest.mark.parametrize("role", ROLES)
    def test_who_may_negotiate(self, world, act, file, role):
        sub = file("none")
        act("negotiate", world["users"]["applicant_member"], id=sub["id"], message="请再议")
        if role.startswith("applicant_") or role in ("provider_admin", "sysadmin"):
            act("negotiate", _user(world, role), id=sub["id"], message="意见")
        else:
            with pytest.raises(tk.NotAuthorized):
                act("negotiate", _user(world, role), id=sub["id"], message="意见")

    @pytest.mark.parametrize("role", ROLES)
    def test_who_may_decide(self, world, act, file, role):
        sub = file("none")
        act("coordinate", world["users"]["applicant_member"], id=sub["id"])
        if role in ("reviewer", "sysadmin"):
            done = act("decide", _user(world, role), id=sub["id"], granted=False, reason="维持")
            assert done["status"] == "refused"
        else:
            with pytest.raises(tk.NotAuthorized):
                act("decide", _user(world, role), id=sub["id"], granted=False, reason="维持")


def _grant(world, act, file, **data):
    sub = file(**data)
    act("check", world["users"]["reviewer"], id=sub["id"], passed=True)
    return act("approve", world["users"]["provider_admin"], id=sub["id"])


class TestGrants:
    def test_expiring_then_expired(self, world, act, file):
        users = world["users"]
        with freeze_time("2026-02-10 02:00:00"):
            sub = _grant(world, act, file, valid_until="2026-03-02")
        # 5 working days before 03-02: 02-24, 25, 26, 27, 28 (a make-up Saturday)
        assert jobs.warn_expiring("2026-02-13") == 0
        with freeze_time("2026-02-23 02:00:00"):
            assert jobs.warn_expiring("2026-02-23") == 0
        with freeze_time("2026-02-24 02:00:00"):
            assert jobs.warn_expiring("2026-02-24") == 1
            assert jobs.warn_expiring("2026-02-24") == 0
            shown = act("show", users["applicant_member"], id=sub["id"])
            assert shown["lifecycle"] == "expiring" and _reads(world, shown)
        kinds = [n["kind"] for n in _inbox(users["applicant_member"])]
        assert kinds.count("subscription_expiring") == 1
        with freeze_time("2026-03-03 02:00:00"):
            assert not _reads(world, shown)  # at once: the grant check reads the date
            assert jobs.expire_subscriptions("2026-03-03") == 1
            assert act("show", users["reviewer"], id=sub["id"])["lifecycle"] == "expired"

    @pytest.mark.parametrize("role", ROLES)
    def test_who_may_revoke(self, world, act, file, role):
        sub = _grant(world, act, file)
        if role in ("provider_admin", "reviewer", "sysadmin"):
            done = act("revoke", _user(world, role), id=sub["id"], reason="数据安全风险")
            assert done["lifecycle"] == "revoked" and not _reads(world, done)
        else:
            with pytest.raises(tk.NotAuthorized):
                act("revoke", _user(world, role), id=sub["id"], reason="数据安全风险")
            assert _reads(world, sub)

    def test_revoking_needs_a_reason_and_a_grant(self, world, act, file):
        sub = _grant(world, act, file)
        admin = world["users"]["provider_admin"]
        with pytest.raises(tk.ValidationError) as error:
            act("revoke", admin, id=sub["id"], reason="")
        assert "reason" in error.value.error_dict
        act("revoke", admin, id=sub["id"], reason="风险")
        with pytest.raises(tk.ValidationError) as error:
            act("revoke", admin, id=sub["id"], reason="风险")
        assert "status" in error.value.error_dict


class TestRenewal:
    def test_a_short_application_linked_to_the_grant(self, world, act, file):
        users = world["users"]
        old = _grant(world, act, file, valid_until="2099-06-30", data_item_names=["企业名称"])
        new = act("renew", users["applicant_member"], id=old["id"], valid_until="2100-06-30")
        assert new["renews_id"] == old["id"] and new["status"] == "pending"
        assert new["data_item_names"] == ["企业名称"] and new["basis"] == BASIS["basis"]
        assert act("show", users["reviewer"], id=old["id"])["lifecycle"] == "granted"
        with pytest.raises(tk.ValidationError):  # one renewal at a time
            act("renew", users["applicant_member"], id=old["id"], valid_until="2100-06-30")
        done = act("approve", users["provider_admin"], id=new["id"])
        assert done["valid_until"] == "2100-06-30"

    def test_never_wider_than_the_grant(self, world, act, file):
        users = world["users"]
        old = _grant(world, act, file, valid_until="2099-06-30", data_item_names=["企业名称"])
        with pytest.raises(tk.ValidationError) as error:
            act(
                "renew",
                users["applicant_member"],
                id=old["id"],
                valid_until="2100-06-30",
                data_item_names=["企业名称", "注册资本"],
            )
        assert "data_item_names" in error.value.error_dict
        with pytest.raises(tk.ValidationError) as error:
            act("renew", users["applicant_member"], id=old["id"], valid_until="2099-01-01")
        assert "valid_until" in error.value.error_dict
        # no action changes a grant's 信息项 or period after the fact
        for name in ("update", "patch"):
            with pytest.raises(KeyError):
                tk.get_action(f"yiyang_subscription_{name}")
        with pytest.raises(tk.ValidationError):  # approving again (a later period)
            act("approve", users["provider_admin"], id=old["id"], valid_until="2100-12-31")
        stored = act("show", users["reviewer"], id=old["id"])
        assert stored["data_item_names"] == ["企业名称"] and stored["valid_until"] == "2099-06-30"

    @pytest.mark.parametrize("role", ROLES)
    def test_who_may_renew(self, world, act, file, role):
        old = _grant(world, act, file, valid_until="2099-06-30")
        if role.startswith("applicant_") or role == "sysadmin":
            act("renew", _user(world, role), id=old["id"], valid_until="2100-06-30")
        else:
            with pytest.raises(tk.NotAuthorized):
                act("renew", _user(world, role), id=old["id"], valid_until="2100-06-30")

    def test_a_refused_application_is_not_renewed(self, world, act, file):
        sub = file("none")
        with pytest.raises(tk.ValidationError):
            act(
                "renew", world["users"]["applicant_member"], id=sub["id"], valid_until="2100-01-01"
            )


def test_the_stored_grant_name_is_accepted_as_granted(world, act, file):
    sub = _grant(world, act, file)
    found = act("list", world["users"]["applicant_member"], status="granted")["results"]
    assert [r["id"] for r in found] == [sub["id"]]
