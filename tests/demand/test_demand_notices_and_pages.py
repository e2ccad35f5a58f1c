"""What reaches whom (inbox and real mail) when a demand moves, and the pages: the form with
its suggestions, the providing unit's queue, a demand's page and its forms."""

from __future__ import annotations

import ckan.lib.jobs as jobs
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def act(action, user, **data):
    return tk.get_action(f"yiyang_demand_{action}")({"user": user["name"] if user else None}, data)


def inbox(user):
    """The user's notifications of demands, newest first (publishing an entry notifies too)."""
    results = tk.get_action("yiyang_notification_list")({"user": user["name"]}, {})["results"]
    return [n for n in results if n["kind"].startswith("demand_")]


def kinds(user):
    return [n["kind"] for n in inbox(user)]


@pytest.mark.usefixtures("with_request_context")  # as through the web or the API
class TestNotices:
    def test_each_event_reaches_who_must_act(self, people, raise_demand, entry_factory, mail_sink):
        entry = entry_factory(
            people["provider_unit"]["id"], published=True, title="户籍人口基础库"
        )
        jobs.get_queue().empty()  # the mails of its publication
        demand = raise_demand()
        (new,) = inbox(people["editor"])
        assert new["kind"] == "demand_create" and new["link"] == f"/demand/{demand['id']}"
        assert "市教育局" in new["title"] and "户籍人口信息" in new["title"]
        assert kinds(people["admin"]) == ["demand_create"]
        for role in ("requester", "member", "outsider", "reviewer"):
            assert kinds(people[role]) == [], role

        act("accept", people["editor"], id=demand["id"])
        assert kinds(people["requester"]) == ["demand_accept"]
        assert "已受理" in inbox(people["requester"])[0]["title"]

        act("comment", people["requester"], id=demand["id"], body="请尽快提供")
        assert kinds(people["editor"])[0] == "demand_comment"
        assert "请尽快提供" in inbox(people["editor"])[0]["body"]
        assert kinds(people["requester"]) == ["demand_accept"]  # not to the one who wrote
        act("comment", people["editor"], id=demand["id"], body="正在整理")
        assert kinds(people["requester"])[0] == "demand_comment"
        assert kinds(people["editor"])[0] == "demand_comment"  # not their own again
        assert len(inbox(people["editor"])) == 2

        act("fulfil", people["editor"], id=demand["id"], dataset_id=entry["id"])
        (fulfilled, *_) = inbox(people["requester"])
        assert fulfilled["kind"] == "demand_fulfil" and "已满足" in fulfilled["title"]
        assert f"/dataset/{entry['name']}" in fulfilled["body"]

        other = raise_demand(title="法人信息")
        act("reject", people["admin"], id=other["id"], reason="该数据不属于本单位职责")
        (rejected, *_) = inbox(people["requester"])
        assert rejected["kind"] == "demand_reject" and "不予满足" in rejected["title"]
        assert "该数据不属于本单位职责" in rejected["body"]

        jobs.Worker(["default"]).work(burst=True)
        mails = [
            (str(m["To"]).split("<")[-1].rstrip(">"), str(m["Subject"]))
            for m in mail_sink.messages()
        ]
        to_requester = [s for to, s in mails if to == "requester@yiyang.test"]
        assert len(to_requester) == 4  # accepted, a comment, fulfilled, rejected
        assert any("不予满足" in s for s in to_requester)
        to_editor = [s for to, s in mails if to == "editor@yiyang.test"]
        # two new demands and the requester's comment
        assert len(to_editor) == 3 and any("新的资源需求：户籍人口信息" in s for s in to_editor)
        assert not [to for to, _s in mails if to == "outsider@yiyang.test"]

    def test_without_provider_the_office_is_told_then_the_routed_unit(self, people, raise_demand):
        demand = raise_demand(provider=False)
        assert kinds(people["reviewer"]) == ["demand_create"]
        assert kinds(people["editor"]) == []
        act(
            "route",
            people["reviewer"],
            id=demand["id"],
            provider_org=people["provider_unit"]["id"],
        )
        assert kinds(people["editor"]) == ["demand_route"]
        assert kinds(people["admin"]) == ["demand_route"]


class TestPages:
    def _headers(self, user):
        return {"Authorization": factories.APIToken(user=user["name"])["token"]}

    def test_form_suggests_then_submits(self, app, people, entry_factory):
        entry_factory(people["provider_unit"]["id"], published=True, title="户籍人口基本信息")
        entry_factory(people["third_unit"]["id"], title="户籍人口未发布信息")
        headers = self._headers(people["requester"])
        page = app.get("/demand/new", headers=headers).body
        for label in ("需求数据名称", "数据提供单位", "数据需求内容", "用途", "数据更新频率要求"):
            assert label in page
        assert "检索已有信息资源" in page and "每月" in page
        form = {
            "title": "户籍人口",
            "content": "全市户籍人口信息",
            "purpose": "入学审核",
            "update_frequency": "monthly",
            "provider_org": people["provider_unit"]["name"],
        }
        page = app.post("/demand/new", data={**form, "suggest": "1"}, headers=headers).body
        assert "可能已满足该需求的信息资源" in page
        assert "户籍人口基本信息" in page and "户籍人口未发布信息" not in page
        assert 'value="入学审核"' in page or "入学审核" in page  # the form keeps what was typed
        assert act("list", people["requester"])["count"] == 0  # nothing submitted yet

        page = app.post("/demand/new", data={**form, "purpose": "", "save": "1"}, headers=headers)
        assert act("list", people["requester"])["count"] == 0
        assert "用途" in page.body

        response = app.post(
            "/demand/new", data={**form, "save": "1"}, headers=headers, follow_redirects=False
        )
        assert response.status_code == 302
        (demand,) = act("list", people["requester"])["results"]
        assert response.headers["Location"].endswith(f"/demand/{demand['id']}")

    def test_queue_and_demand_page(self, app, people, raise_demand):
        demand = raise_demand(title="不动产登记信息")
        raise_demand(provider=False, title="待转交的需求")
        page = app.get("/demand?role=provided", headers=self._headers(people["editor"])).body
        assert "不动产登记信息" in page and "待转交的需求" not in page and "待受理" in page
        page = app.get("/demand?role=unrouted", headers=self._headers(people["reviewer"])).body
        assert "待转交的需求" in page and "待市电子政务办转交" in page

        url = f"/demand/{demand['id']}"
        page = app.get(url, headers=self._headers(people["editor"])).body
        assert "受理" in page and "不予满足" in page and "关闭需求" not in page
        app.post(f"{url}/accept", headers=self._headers(people["editor"]))
        app.post(
            f"{url}/comment", data={"body": "已在整理"}, headers=self._headers(people["admin"])
        )
        page = app.get(url, headers=self._headers(people["requester"])).body
        assert "已受理" in page and "已在整理" in page and "关闭需求" in page

        app.get(url, headers=self._headers(people["outsider"]), status=403)
        app.get(url, status=403)
        app.get("/demand", status=403)
        app.get("/demand/new", status=403)
        app.get("/demand/nope", headers=self._headers(people["editor"]), status=404)
