"""Objections (issue 14.2, catalog-model §11): every transition, deadline and role, the mark
on the entry (package_show, index, facet), races."""

from __future__ import annotations

import datetime as dt
import threading

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from freezegun import freeze_time

from .conftest import act, revision_of

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

ROLES = ("anonymous", "raiser", "member", "editor", "admin", "outsider", "reviewer", "sysadmin")


def who(people, role):
    return None if role == "anonymous" else people[role]


def allowed(action, people, role, **data):
    try:
        act(action, who(people, role), **data)
    except tk.NotAuthorized:
        return False
    except tk.ValidationError:
        return True  # past the auth check
    return True


def search(user, fq):
    return tk.get_action("package_search")(
        {"user": user["name"] if user else None},
        {"fq": fq, "facet.field": ["has_objection"], "include_private": True},
    )


class TestLifecycle:
    def test_raise_accept_correct_close(self, people, raise_objection):
        o = raise_objection(data_item="企业名称")
        assert o["status"] == "raised" and o["data_item"] == "企业名称"
        shown = tk.get_action("package_show")({"user": None}, {"id": people["entry"]["id"]})
        assert shown["has_objection"] is True
        o = act("accept", people["reviewer"], id=o["id"], reason="请核实")
        assert o["status"] == "accepted"
        o = act(
            "resolve",
            people["editor"],
            id=o["id"],
            outcome="corrected",
            revision=revision_of(people),
        )
        assert o["status"] == "corrected" and o["revision"]
        # the mark stays until the office removes it (标注撤销)
        assert tk.get_action("package_show")({}, {"id": people["entry"]["id"]})["has_objection"]
        o = act("close", people["reviewer"], id=o["id"])
        assert o["status"] == "closed" and o["closed_at"]
        shown = tk.get_action("package_show")({"user": None}, {"id": people["entry"]["id"]})
        assert shown["has_objection"] is False
        history = act("show", people["raiser"], id=o["id"])["history"]
        assert [h["action"] for h in history] == ["create", "accept", "correct", "close"]
        assert history[1]["note"] == "请核实"

    def test_maintained_needs_a_reason_and_contest_once(self, people, raise_objection):
        o = raise_objection(kind="stale")
        act("accept", people["reviewer"], id=o["id"])
        with pytest.raises(tk.ValidationError, match="reason"):
            act("resolve", people["admin"], id=o["id"], outcome="maintained")
        o = act("resolve", people["admin"], id=o["id"], outcome="maintained", reason="数据无误")
        assert o["status"] == "maintained" and o["reason"] == "数据无误"
        o = act("contest", people["raiser"], id=o["id"], reason="仍然不对")
        assert o["status"] == "contested"
        o = act("decide", people["reviewer"], id=o["id"], decision="reopen", reason="请再核实")
        assert o["status"] == "accepted"
        o = act("resolve", people["admin"], id=o["id"], outcome="maintained", reason="核实无误")
        with pytest.raises(tk.ValidationError, match="already contested"):
            act("contest", people["raiser"], id=o["id"], reason="再次异议")

    def test_uphold_closes(self, people, raise_objection):
        o = raise_objection()
        act("accept", people["reviewer"], id=o["id"])
        act("resolve", people["editor"], id=o["id"], outcome="maintained", reason="无误")
        act("contest", people["raiser"], id=o["id"], reason="不同意")
        o = act("decide", people["reviewer"], id=o["id"], decision="uphold", reason="维持")
        assert o["status"] == "closed"

    def test_corrected_needs_a_revision_of_this_entry(self, people, raise_objection):
        o = raise_objection()
        act("accept", people["reviewer"], id=o["id"])
        with pytest.raises(tk.ValidationError, match="revision"):
            act("resolve", people["editor"], id=o["id"], outcome="corrected")
        with pytest.raises(tk.ValidationError, match="revision"):
            act("resolve", people["editor"], id=o["id"], outcome="corrected", revision="nope")

    def test_refusals_by_state(self, people, raise_objection):
        o = raise_objection()
        with pytest.raises(tk.ValidationError, match="status"):
            act("resolve", people["editor"], id=o["id"], outcome="maintained", reason="x")
        with pytest.raises(tk.ValidationError, match="status"):
            act("contest", people["raiser"], id=o["id"], reason="x")
        with pytest.raises(tk.ValidationError, match="reason"):
            act("close", people["reviewer"], id=o["id"])  # a raised one needs a reason
        act("close", people["reviewer"], id=o["id"], reason="不是异议")
        with pytest.raises(tk.ValidationError, match="status"):
            act("accept", people["reviewer"], id=o["id"])

    def test_create_checks(self, people, raise_objection, entry_factory):
        with pytest.raises(tk.ValidationError, match="kind"):
            raise_objection(kind="nonsense")
        with pytest.raises(tk.ValidationError, match="data_item"):
            raise_objection(data_item="没有这个信息项")
        hidden = entry_factory(people["provider_unit"]["id"], title="草稿")  # a draft
        with pytest.raises(tk.ValidationError, match="dataset_id"):
            raise_objection(dataset_id=hidden["id"])
        with pytest.raises(tk.NotAuthorized):
            act("create", None, dataset_id=people["entry"]["id"], kind="other", description="x")


class TestDeadlines:
    def test_accept_due_across_spring_festival_and_make_up_day(self, people, raise_objection):
        # Friday 13 Feb 2026: Saturday 14th is a make-up working day, 15–23 off (春节)
        with freeze_time("2026-02-13 02:00:00"):
            o = raise_objection()
        assert o["due_date"] == "2026-02-24"
        with freeze_time("2026-02-24 08:00:00"):
            assert act("show", people["reviewer"], id=o["id"])["overdue"] is False
        with freeze_time("2026-02-25 02:00:00"):
            assert act("show", people["reviewer"], id=o["id"])["overdue"] is True
            overdue = act("list", people["reviewer"], overdue=True)
            assert [r["id"] for r in overdue["results"]] == [o["id"]]
            o = act("accept", people["reviewer"], id=o["id"])
        assert o["late"] is True
        assert act("show", people["raiser"], id=o["id"])["history"][1]["late"] is True

    def test_verify_due_across_national_day_and_extension(self, people, raise_objection):
        with freeze_time("2026-09-29 02:00:00"):
            o = raise_objection()
        with freeze_time("2026-09-30 02:00:00"):
            o = act("accept", people["reviewer"], id=o["id"])
        # 1–7 Oct off; 8, 9, 10 (Saturday, make-up), 12, 13
        assert o["due_date"] == "2026-10-13" and o["late"] is False
        with freeze_time("2026-10-12 02:00:00"):
            o = act("extend", people["editor"], id=o["id"], reason="需要核对原始台账")
            assert o["due_date"] == "2026-10-20" and o["extended"] is True
            with pytest.raises(tk.ValidationError, match="already extended"):
                act("extend", people["admin"], id=o["id"], reason="再延期")
        with freeze_time("2026-10-21 02:00:00"):
            assert act("show", people["editor"], id=o["id"])["overdue"] is True

    def test_deadlines_are_options(self, people, raise_objection, ckan_config, monkeypatch):
        monkeypatch.setitem(ckan_config, "ckanext.yiyang.objection.accept_days", 1)
        with freeze_time("2026-02-13 02:00:00"):
            assert raise_objection()["due_date"] == "2026-02-14"


class TestRoles:
    @pytest.mark.parametrize("role", ROLES)
    def test_create(self, people, role):
        ok = allowed(
            "create", people, role, dataset_id=people["entry"]["id"], kind="other", description="x"
        )
        assert ok == (role != "anonymous")

    @pytest.mark.parametrize("role", ROLES)
    def test_show(self, people, raise_objection, role):
        o = raise_objection()
        expected = role in ("raiser", "member", "editor", "admin", "reviewer", "sysadmin")
        assert allowed("show", people, role, id=o["id"]) == expected

    @pytest.mark.parametrize("role", ROLES)
    def test_office_steps(self, people, raise_objection, role):
        o = raise_objection()
        expected = role in ("reviewer", "sysadmin")
        assert allowed("accept", people, role, id=o["id"]) == expected
        assert allowed("close", people, role, id=o["id"], reason="x") == expected
        assert allowed("decide", people, role, id=o["id"], decision="uphold", reason="x") == (
            expected
        )

    @pytest.mark.parametrize("role", ROLES)
    def test_provider_steps(self, people, raise_objection, role):
        o = raise_objection()
        act("accept", people["reviewer"], id=o["id"])
        expected = role in ("editor", "admin", "sysadmin")
        assert allowed("extend", people, role, id=o["id"], reason="x") == expected
        o2 = raise_objection()
        act("accept", people["reviewer"], id=o2["id"])
        assert (
            allowed("resolve", people, role, id=o2["id"], outcome="maintained", reason="x")
            == expected
        )

    @pytest.mark.parametrize("role", ROLES)
    def test_contest(self, people, raise_objection, role):
        o = raise_objection()
        act("accept", people["reviewer"], id=o["id"])
        act("resolve", people["editor"], id=o["id"], outcome="maintained", reason="x")
        # sysadmins pass every auth function (CKAN)
        expected = role in ("raiser", "sysadmin")
        assert allowed("contest", people, role, id=o["id"], reason="x") == expected

    def test_list_scopes(self, people, raise_objection):
        o = raise_objection()
        mine = [r["id"] for r in act("list", people["raiser"])["results"]]
        assert mine == [o["id"]]
        assert act("list", people["member"], scope="provided")["count"] == 1
        assert act("list", people["outsider"])["count"] == 0
        assert act("list", people["reviewer"], scope="office")["count"] == 1
        assert act("list", people["reviewer"], status="closed")["count"] == 0
        assert act("list", people["reviewer"], dataset_id=people["entry"]["name"])["count"] == 1
        org = people["provider_unit"]["name"]
        assert act("list", people["reviewer"], org=org)["count"] == 1
        raiser = people["raiser"]["name"]
        assert act("list", people["reviewer"], raised_by=raiser)["count"] == 1
        with pytest.raises(tk.NotAuthorized):
            act("list", None)


class TestMark:
    def test_facet_and_filter_for_anonymous_and_government(self, people, raise_objection):
        for user in (None, people["outsider"]):
            assert search(user, "has_objection:true")["count"] == 0
        o = raise_objection()
        for user in (None, people["outsider"], people["reviewer"]):
            found = search(user, "has_objection:true")
            assert [r["id"] for r in found["results"]] == [people["entry"]["id"]]
            facet = {i["name"]: i for i in found["search_facets"]["has_objection"]["items"]}
            assert facet["true"]["count"] == 1
        act("close", people["reviewer"], id=o["id"], reason="撤销")
        assert search(None, "has_objection:true")["count"] == 0
        assert search(None, "has_objection:false")["count"] == 1

    def test_entry_page_shows_the_mark(self, people, raise_objection, app):
        url = f"/dataset/{people['entry']['name']}"
        assert "objection-mark" not in app.get(url).body
        raise_objection()
        assert "objection-mark" in app.get(url).body


class TestRaces:
    def test_two_acceptances_one_wins(self, people, raise_objection):
        o = raise_objection()
        results: list[str] = []
        barrier = threading.Barrier(2)

        def accept(name):
            try:
                barrier.wait()
                act("accept", people[name], id=o["id"])
                results.append("ok")
            except tk.ValidationError:
                results.append("refused")
            finally:
                model.Session.remove()

        self._run(accept, ("reviewer", "sysadmin"))
        assert sorted(results) == ["ok", "refused"]
        history = act("show", people["reviewer"], id=o["id"])["history"]
        assert [h["action"] for h in history] == ["create", "accept"]

    def test_two_verifications_one_wins(self, people, raise_objection):
        o = raise_objection()
        act("accept", people["reviewer"], id=o["id"])
        results: list[str] = []
        barrier = threading.Barrier(2)

        def resolve(name):
            try:
                barrier.wait()
                act("resolve", people[name], id=o["id"], outcome="maintained", reason=name)
                results.append("ok")
            except tk.ValidationError as error:
                assert "status" in error.error_dict
                results.append("refused")
            finally:
                model.Session.remove()

        self._run(resolve, ("editor", "admin"))
        assert sorted(results) == ["ok", "refused"]
        shown = act("show", people["reviewer"], id=o["id"])
        assert [h["action"] for h in shown["history"]].count("maintain") == 1

    @staticmethod
    def _run(target, names):
        threads = [threading.Thread(target=target, args=(n,)) for n in names]
        for t in threads:
            t.start()
        for t in threads:
            t.join()


def test_overdue_date_type(people, raise_objection):
    o = raise_objection()
    assert dt.date.fromisoformat(o["due_date"])
