"""The unit's 数据服务 page in a browser, in Chinese: the unit's admin creates a key for one of
its systems, sees the token once (with a copy button), the system calls the API with it, and
the admin revokes it after a confirmation; the key is refused from then on."""

from __future__ import annotations

import pytest
import requests

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index"),
]


def test_create_see_once_and_revoke_a_key(
    live_portal, browser, make_unit, log_in, browser_user, screenshot_dir, page_errors
):
    admin, member = browser_user(), browser_user()
    unit = make_unit(
        title="市自然资源和规划局",
        users=[
            {"name": admin["name"], "capacity": "admin"},
            {"name": member["name"], "capacity": "member"},
        ],
    )
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, admin["name"])

    page.goto(f"{live_portal}/organization/{unit['name']}")
    page.click("a:has-text('数据服务')")
    page.wait_for_load_state()
    assert page.url.endswith(f"/organization/{unit['name']}/services")
    assert "本单位还没有数据服务账号" in page.content()

    page.fill("#field-service-title", "不动产登记系统")
    page.fill("#field-service-name", "budongchan")
    page.fill("#field-service-days", "30")
    page.click("form.yiyang-service-form button[type=submit]")
    page.wait_for_load_state()
    shown = page.locator(".yiyang-service-created")
    assert "只显示这一次" in shown.inner_text()
    token = page.locator("code.yiyang-service-token").inner_text().strip()
    assert len(token) > 40
    assert page.locator(".yiyang-service-created [data-module=copy-into-buffer]").count() == 1
    row = page.locator("tr#service-budongchan")
    assert "不动产登记系统" in row.inner_text() and "有效" in row.inner_text()
    page.screenshot(path=str(screenshot_dir / "services-created.png"), full_page=True)

    # the system reads with it
    api = f"{live_portal}/api/3/action/organization_show"
    answer = requests.get(api, params={"id": unit["id"]}, headers={"Authorization": token})
    assert answer.status_code == 200

    # shown once: not on the page again
    page.goto(f"{live_portal}/organization/{unit['name']}/services")
    assert token not in page.content()
    assert page.locator(".yiyang-service-created").count() == 0
    assert "svc-" in page.locator("tr#service-budongchan").inner_text()

    # revoked after a confirmation
    page.click("tr#service-budongchan a.yiyang-service-revoke")
    dialog = page.locator(".modal.show, .modal.in").first
    dialog.wait_for()
    assert "不动产登记系统" in dialog.inner_text()
    dialog.locator(".btn-primary").click()
    page.wait_for_load_state()
    assert "已撤销" in page.locator("tr#service-budongchan").inner_text()
    assert page.locator("tr#service-budongchan a.yiyang-service-revoke").count() == 0
    refused = requests.get(api, params={"id": unit["id"]}, headers={"Authorization": token})
    assert refused.status_code == 403
    assert "撤销" in refused.json()["error"]["message"]

    # a member of the unit does not get the page
    other = browser.new_context(locale="zh-CN").new_page()
    log_in(other, member["name"])
    other.goto(f"{live_portal}/organization/{unit['name']}")
    assert other.locator("a:has-text('数据服务')").count() == 0
    services_url = f"{live_portal}/organization/{unit['name']}/services"
    page_errors.allow(403, services_url)
    response = other.goto(services_url)
    assert response.status == 403
    context.close()
