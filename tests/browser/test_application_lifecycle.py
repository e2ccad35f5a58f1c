"""The 2025 application lifecycle in a browser, on the Chinese pages (issue 14.1): a conditional
application goes through the office's compliance review, is refused by the provider, contested
and negotiated, coordinated by the office, and granted by its binding decision — after which
the applicant sees the data. Console errors fail the test (tests/browser/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.yiyang import config

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]

DATA_FILE = "企业登记明细（2026年11月）"


@pytest.fixture(scope="module")
def live_portal(portal_factory) -> Iterator[str]:
    """A portal of its own running the 2025 flow: the test configuration with the office's
    compliance review and the required basis switched on (config/test.ini keeps the 2016 flow
    for the older tests); stopped after this module."""
    base = portal_factory(
        **{
            "ckanext.yiyang.subscription.compliance_review": "true",
            "ckanext.yiyang.subscription.require_basis": "true",
        }
    )
    yield base
    portal_factory.stop(base)


def test_conditional_application_refused_negotiated_and_granted_by_the_office(
    live_portal, browser, make_unit, entry_factory, log_in, browser_user
):
    applicant, provider, officer = browser_user(), browser_user(), browser_user()
    make_unit(title="市税务局", users=[{"name": applicant["name"], "capacity": "editor"}])
    unit_b = make_unit(
        title="市市场监督管理局", users=[{"name": provider["name"], "capacity": "admin"}]
    )
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": officer["name"], "capacity": "member"}],
    )
    entry = entry_factory(
        owner_org=unit_b["id"],
        published=True,
        title="企业登记信息",
        share_type="conditional",
        share_condition="仅用于税收征管",
        disclosure_scope="internal",
    )
    tk.get_action("resource_create")(
        {"user": factories.Sysadmin()["name"]},
        {
            "package_id": entry["id"],
            "name": DATA_FILE,
            "url": "https://data.yiyang.example/qiye/2026-11.csv",
            "format": "CSV",
        },
    )
    sides = [
        browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        for _ in range(3)
    ]
    a, b, office = (side.new_page() for side in sides)
    log_in(a, applicant["name"])
    log_in(b, provider["name"])
    log_in(office, officer["name"])

    # the applicant fills in 依据, 应用场景, 使用范围
    a.goto(f"{live_portal}/dataset/{entry['name']}/subscribe")
    a.select_option("#field-purpose", index=1)
    a.fill("#field-purpose-detail", "核对纳税人登记信息。")
    a.fill("#field-basis-text", "《政务数据共享条例》第十五条")
    a.fill("#field-scenario", "税务登记核验")
    a.fill("#field-scope-of-use", "本局征管科，仅内部核验")
    a.click("form button[type=submit].btn-primary")
    a.wait_for_load_state()
    table = a.locator("table.yiyang-subscriptions")
    assert "电子政务办符合性审查中" in table.inner_text()
    a.click("table.yiyang-subscriptions a.yiyang-subscription-link")
    a.wait_for_load_state()
    url = a.url

    # the office's compliance review, from its desk
    office.goto(f"{live_portal}/desk")
    office.click("#desk-applications-to_check a:has-text('企业登记信息')")
    office.wait_for_load_state()
    office.click(".yiyang-check-form button[type=submit]")
    office.wait_for_load_state()
    assert "待审批" in office.locator(".yiyang-subscription-state").inner_text()

    # the provider refuses, with a reason
    b.goto(url)
    b.fill(".yiyang-subscription-reject textarea[name=reason]", "涉及商业秘密")
    b.click(".yiyang-subscription-reject button[type=submit]")
    b.wait_for_load_state()
    assert (
        "已驳回" in b.locator(".yiyang-subscription-state").inner_text() or "拒绝" in b.content()
    )

    # the applicant contests; the units negotiate
    a.goto(url)
    assert "涉及商业秘密" in a.locator(".yiyang-subscription-reason").inner_text()
    a.fill(".yiyang-subscription-negotiate textarea[name=message]", "仅用于核验，不对外提供")
    a.click(".yiyang-subscription-negotiate button[type=submit]")
    a.wait_for_load_state()
    b.goto(url)
    assert "仅用于核验，不对外提供" in b.locator(".yiyang-thread").inner_text()
    b.fill(".yiyang-subscription-negotiate textarea[name=message]", "仍不同意")
    b.click(".yiyang-subscription-negotiate button[type=submit]")
    b.wait_for_load_state()
    a.goto(url)
    assert "仍不同意" in a.locator(".yiyang-thread").inner_text()
    a.click(".yiyang-subscription-coordinate button[type=submit]")
    a.wait_for_load_state()
    assert "电子政务办协调中" in a.locator(".yiyang-subscription-state").inner_text()

    # the office's binding decision
    office.goto(url)
    office.check("#decide-grant")
    office.fill(".yiyang-decide-form textarea[name=reason]", "依条例应予共享，限内部核验")
    office.click(".yiyang-decide-form button[type=submit]")
    office.wait_for_load_state()
    assert "已批准" in office.locator(".yiyang-subscription-state").inner_text()

    a.goto(f"{live_portal}/dataset/{entry['name']}")
    assert DATA_FILE in a.locator("#dataset-resources").inner_text()
