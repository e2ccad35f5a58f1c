"""The pages of the 2025 lifecycle (Chinese first, /en English): the form's new fields, the
application page with its steps, deadlines, thread and the forms of whoever acts next, and the
office's desk slot."""

from __future__ import annotations

import pytest
from ckan.tests import factories

pytestmark = [
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
    pytest.mark.ckan_config("ckanext.yiyang.subscription.compliance_review", True),
    pytest.mark.ckan_config("ckanext.yiyang.subscription.require_basis", True),
]


def _token(world, role):
    return {"Authorization": factories.APIToken(user=world["users"][role]["name"])["token"]}


def test_a_conditional_application_through_the_pages(app, world, act):
    entry = world["entries"]["conditional"]
    applicant = _token(world, "applicant_member")
    form = app.get(f"/dataset/{entry['name']}/subscribe", headers=applicant).body
    assert "应用场景" in form and "使用范围" in form and 'name="basis_text"' in form
    refused = app.post(
        f"/dataset/{entry['name']}/subscribe",
        headers=applicant,
        data={"purpose": "business_collaboration", "purpose_detail": "核对"},
    ).body
    assert "依据：请填写" in refused and "应用场景：请说明" in refused
    app.post(
        f"/dataset/{entry['name']}/subscribe",
        headers=applicant,
        data={
            "purpose": "business_collaboration",
            "purpose_detail": "核对企业信息",
            "basis_text": "《政务数据共享条例》",
            "scenario": "企业开办",
            "scope_of_use": "登记窗口",
        },
    )
    (sub,) = act("list", world["users"]["applicant_member"])["results"]
    assert sub["status"] == "checking" and sub["scenario"] == "企业开办"
    url = f"/subscription/{sub['id']}"

    reviewer = _token(world, "reviewer")
    desk = app.get("/desk", headers=reviewer).body
    assert "待符合性审查的申请" in desk and url in desk
    page = app.get(url, headers=reviewer).body
    assert "yiyang-check-form" in page and "电子政务办符合性审查中" in page
    assert "yiyang-check-form" not in app.get(url, headers=applicant).body
    app.post(f"{url}/check", headers=reviewer, data={"passed": "true", "scope": "page"})

    provider = _token(world, "provider_admin")
    page = app.get(url, headers=provider).body
    assert "yiyang-answer-form" in page and 'data-step="answer" data-state="current"' in page
    app.post(f"{url}/reject", headers=provider, data={"reason": "涉及商业秘密", "scope": "page"})

    page = app.get(url, headers=applicant).body
    assert "对拒绝提出异议" in page and "涉及商业秘密" in page
    app.post(
        f"{url}/negotiate", headers=applicant, data={"message": "仅用于核验", "scope": "page"}
    )
    app.post(
        f"{url}/negotiate", headers=provider, data={"message": "请脱敏后使用", "scope": "page"}
    )
    page = app.get(url, headers=applicant).body
    assert "仅用于核验" in page and "请脱敏后使用" in page and "双方协商中" in page
    app.post(f"{url}/coordinate", headers=applicant, data={"scope": "page"})

    page = app.get(url, headers=reviewer).body
    assert "yiyang-decide-form" in page and "电子政务办协调中" in page
    app.post(
        f"{url}/decide",
        headers=reviewer,
        data={"granted": "true", "reason": "依条例应予共享", "scope": "page"},
    )
    page = app.get(url, headers=provider).body
    assert "已批准" in page and "撤销授权" in page
    english = app.get(f"/en{url}", headers=applicant).body
    assert "Granted" in english and "Negotiation" in english and "Renew" in english
    assert act("show", world["users"]["sysadmin"], id=sub["id"])["lifecycle"] == "granted"


def test_the_page_is_for_the_two_units_and_the_office(app, world, apply):
    sub = apply("none", basis="x", scenario="y", scope_of_use="z")
    assert (
        app.get(f"/subscription/{sub['id']}", headers=_token(world, "other_unit")).status_code
        == 403
    )
    assert app.get("/subscription/nope", headers=_token(world, "reviewer")).status_code == 404
