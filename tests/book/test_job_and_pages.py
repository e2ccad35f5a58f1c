"""Generation from the reviewers' page as a background job run by a real worker (RQ over the
real Redis), its progress on the page, and the download of the latest edition, per role."""

from __future__ import annotations

import ckan.lib.jobs as jobs
import ckan.plugins.toolkit as tk
import openpyxl
import pytest

from ckanext.yiyang.book import storage
from tests.book.conftest import ROLES, pdf_text

pytestmark = pytest.mark.usefixtures("with_plugins")

QUEUE = "yiyang-book-test"


@pytest.fixture
def queue(monkeypatch):
    monkeypatch.setitem(tk.config, "ckanext.yiyang.book.queue", QUEUE)
    jobs.get_queue(QUEUE).empty()
    yield QUEUE
    jobs.get_queue(QUEUE).empty()


def _login(app, name):
    """Requests of ``app`` as the user ``name`` (None: anonymous), by API token."""
    if name is None:
        return {}
    token = tk.get_action("api_token_create")(
        {"user": name, "ignore_auth": True}, {"user": name, "name": "book-test"}
    )["token"]
    return {"Authorization": token}


def test_reviewer_generates_from_the_page_and_everyone_downloads_what_they_may(
    app, catalog, people, book_dir, queue
):
    reviewer = _login(app, people["reviewer"])
    page = app.get("/catalog/book", headers=reviewer)
    assert page.status_code == 200
    assert 'action="/catalog/book/generate"' in page.get_data(as_text=True)

    for edition, fmt in (("public", "pdf"), ("internal", "xlsx")):
        response = app.post(
            "/catalog/book/generate",
            data={"edition": edition, "format": fmt},
            headers=reviewer,
            follow_redirects=False,
        )
        assert response.status_code == 302
    statuses = storage.jobs()
    assert {s["state"] for s in statuses} == {"queued"}
    page = app.get("/catalog/book", headers=reviewer).get_data(as_text=True)
    assert 'http-equiv="refresh"' in page  # the page follows the jobs while they run

    jobs.Worker([queue]).work(burst=True)

    statuses = storage.jobs()
    assert [s["state"] for s in statuses] == ["finished", "finished"]
    assert all(s["done"] == s["total"] for s in statuses)
    page = app.get("/catalog/book", headers=reviewer).get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page
    assert "/catalog/book/download/public/pdf" in page

    public = app.get("/catalog/book/download/public/pdf")
    assert public.status_code == 200
    assert public.headers["Content-Type"] == "application/pdf"
    assert "attachment" in public.headers["Content-Disposition"]
    pdf = book_dir / "public.pdf"
    pdf.write_bytes(public.get_data())
    text = pdf_text(pdf)
    assert catalog.title("partial") in text and catalog.title("internal") not in text

    for role in ROLES:
        response = app.get(
            "/catalog/book/download/internal/xlsx", headers=_login(app, people[role])
        )
        if role == "anonymous":
            assert response.status_code == 403
            continue
        assert response.status_code == 200, role
    xlsx = book_dir / "internal.xlsx"
    xlsx.write_bytes(response.get_data())
    sheet = openpyxl.load_workbook(xlsx)["信息资源目录"]
    titles = {c.value for row in sheet.iter_rows() for c in row}
    assert catalog.title("internal") in titles and catalog.title("draft") not in titles

    # Not generated yet: nothing to download.
    assert app.get("/catalog/book/download/public/xlsx").status_code == 404
    assert app.get("/catalog/book/download/secret/pdf").status_code in (403, 404)


@pytest.mark.parametrize("role", ROLES)
def test_page_per_role(app, people, book_dir, queue, role):
    headers = _login(app, people[role])
    page = app.get("/catalog/book", headers=headers)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    may_generate = role in ("reviewer", "sysadmin")
    assert ('action="/catalog/book/generate"' in body) is may_generate
    response = app.post(
        "/catalog/book/generate",
        data={"edition": "public", "format": "xlsx"},
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == (302 if may_generate else 403)
    assert len(jobs.get_queue(queue).job_ids) == (1 if may_generate else 0)


def test_a_failed_job_says_so(people, book_dir, queue):
    from ckanext.yiyang.book import jobs as book_jobs

    status = storage.update_job(
        "0" * 32,
        edition="public",
        format="pdf",
        state="queued",
        enqueued=storage.now().isoformat(),
    )
    tk.enqueue_job(book_jobs.generate_book, [status["id"], "secret", "pdf"], queue=queue)
    jobs.Worker([queue]).work(burst=True)
    failed = storage.job_status(status["id"])
    assert failed["state"] == "failed" and "secret" in failed["error"]
    assert storage.latest("public", "pdf") is None
    assert not list(book_dir.glob(".tmp-*"))
