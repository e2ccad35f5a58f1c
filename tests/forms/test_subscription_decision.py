"""The decider sees the requested 信息项 and period of an application, and /subscriptions
opens on the tab with pending work (issue 12.11)."""

from __future__ import annotations

import bs4
import pytest
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def test_decider_sees_items_and_period_on_the_tab_with_work(app, world, apply):
    entry = world["entries"]["conditional"]
    item = entry["data_items"][0]["name"]
    apply(data_item_names=[item], valid_until="2030-12-31")
    admin = world["users"]["provider_admin"]
    headers = {"Authorization": factories.APIToken(user=admin["name"])["token"]}

    page = bs4.BeautifulSoup(app.get("/subscriptions", headers=headers).body, "html.parser")
    assert "active" in page.select_one('a.nav-link[href$="scope=received"]')["class"]
    requested = page.select_one(".yiyang-requested").get_text(" ", strip=True)
    assert item in requested and "2030-12-31" in requested
    applicant = world["users"]["applicant_member"]
    assert applicant["fullname"] in page.select_one(".yiyang-applicant").get_text()

    member = world["users"]["applicant_member"]
    mine = {"Authorization": factories.APIToken(user=member["name"])["token"]}
    page = bs4.BeautifulSoup(app.get("/subscriptions", headers=mine).body, "html.parser")
    assert "active" in page.select_one('a.nav-link[href$="scope=applied"]')["class"]


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_basis_document_upload_and_who_may_download(app, world):
    import io

    entry = world["entries"]["conditional"]
    users = world["users"]

    def token(role: str) -> dict[str, str]:
        return {"Authorization": factories.APIToken(user=users[role]["name"])["token"]}

    response = app.post(
        f"/dataset/{entry['name']}/subscribe",
        headers=token("applicant_member"),
        data={
            "purpose": "business_collaboration",
            "purpose_detail": "核对企业信息",
            "basis": (io.BytesIO(PDF), "批复.pdf"),
        },
        content_type="multipart/form-data",
        follow_redirects=False,
    )
    assert response.status_code == 302
    page = bs4.BeautifulSoup(
        app.get("/subscriptions?scope=received", headers=token("provider_admin")).body,
        "html.parser",
    )
    link = page.select_one("a.yiyang-basis")
    assert link is not None and link.get_text() == "批复.pdf"
    for role in ("provider_member", "applicant_editor", "reviewer"):
        got = app.get(link["href"], headers=token(role))
        assert got.status_code == 200 and got.data == PDF, role
    assert app.get(link["href"], headers=token("other_unit")).status_code == 403
    assert app.get(link["href"]).status_code in (302, 403)
