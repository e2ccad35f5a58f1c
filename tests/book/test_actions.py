"""The actions of the catalog book, per role: anonymous, a unit's member, editor and admin, a
reviewer (member of the e-government office), a sysadmin."""

from __future__ import annotations

import ckan.lib.jobs as jobs
import ckan.plugins.toolkit as tk
import pytest

from ckanext.yiyang.book import storage
from tests.book.conftest import ROLES

pytestmark = pytest.mark.usefixtures("with_plugins", "with_request_context")

MAY_GENERATE = {"reviewer", "sysadmin"}
MAY_READ_INTERNAL = {"member", "editor", "admin", "reviewer", "sysadmin"}


def call(action, user, **data):
    return tk.get_action(action)({"user": user or ""}, data)


def _stored(edition, fmt, entries=1):
    written = storage.temporary(fmt)
    written.write_bytes(b"%PDF-1.7 test" if fmt == "pdf" else b"PK test")
    return storage.store(
        written,
        {
            "edition": edition,
            "format": fmt,
            "created": storage.now().isoformat(),
            "entries": entries,
            "items": 0,
        },
    )


@pytest.fixture
def queue(monkeypatch):
    name = "yiyang-book-test"
    monkeypatch.setitem(tk.config, "ckanext.yiyang.book.queue", name)
    jobs.get_queue(name).empty()
    yield name
    jobs.get_queue(name).empty()


@pytest.mark.parametrize("role", ROLES)
def test_generate_per_role(people, book_dir, queue, role):
    if role in MAY_GENERATE:
        status = call("yiyang_book_generate", people[role], edition="public", format="pdf")
        assert status["state"] == "queued"
        assert f"yiyang-book-{status['id']}" in jobs.get_queue(queue).job_ids
        # A second request while it waits returns the same job.
        again = call("yiyang_book_generate", people[role], edition="public", format="pdf")
        assert again["id"] == status["id"]
        assert len(jobs.get_queue(queue).job_ids) == 1
    else:
        with pytest.raises(tk.NotAuthorized):
            call("yiyang_book_generate", people[role], edition="public", format="pdf")
        assert jobs.get_queue(queue).job_ids == []


def test_generate_refuses_unknown_kinds(people, book_dir, queue):
    with pytest.raises(tk.ValidationError) as error:
        call("yiyang_book_generate", people["reviewer"], edition="secret", format="docx")
    assert set(error.value.error_dict) == {"edition", "format"}
    assert jobs.get_queue(queue).job_ids == []


@pytest.mark.parametrize("role", ROLES)
def test_list_and_show_per_role(people, book_dir, role):
    for edition in ("internal", "public"):
        for fmt in ("pdf", "xlsx"):
            _stored(edition, fmt)
    result = call("yiyang_book_list", people[role])
    kinds = {(b["edition"], b["format"]) for b in result["results"]}
    public = {("public", "pdf"), ("public", "xlsx")}
    internal = {("internal", "pdf"), ("internal", "xlsx")}
    assert kinds == (public | internal if role in MAY_READ_INTERNAL else public)
    assert all("file" not in b and b["url"] for b in result["results"])
    assert result["count"] == len(kinds)
    assert result["can_generate"] is (role in MAY_GENERATE)

    assert call("yiyang_book_show", people[role], edition="public", format="pdf")["entries"] == 1
    if role in MAY_READ_INTERNAL:
        shown = call("yiyang_book_show", people[role], edition="internal", format="xlsx")
        assert shown["filename"].startswith("益阳市电子政务信息资源目录（内部版）")
    else:
        with pytest.raises(tk.NotAuthorized):
            call("yiyang_book_show", people[role], edition="internal", format="xlsx")


def test_list_pages_with_limit_and_offset(people, book_dir):
    for edition in ("internal", "public"):
        for fmt in ("pdf", "xlsx"):
            _stored(edition, fmt)
    everything = call("yiyang_book_list", people["reviewer"])["results"]
    page = call("yiyang_book_list", people["reviewer"], limit=3, offset=1)
    assert page["count"] == 4
    assert page["results"] == everything[1:4]
    with pytest.raises(tk.ValidationError) as error:
        call("yiyang_book_list", people["reviewer"], limit=-1, offset="x")
    assert set(error.value.error_dict) == {"limit", "offset"}


def test_jobs_are_listed_for_reviewers_only(people, book_dir, queue):
    call("yiyang_book_generate", people["reviewer"], edition="internal", format="xlsx")
    for role in ROLES:
        jobs_seen = call("yiyang_book_list", people[role])["jobs"]
        assert len(jobs_seen) == (1 if role in MAY_GENERATE else 0)


def test_show_before_any_generation(people, book_dir):
    with pytest.raises(tk.ObjectNotFound):
        call("yiyang_book_show", people["reviewer"], edition="public", format="pdf")


def test_only_the_latest_few_are_kept(people, book_dir, monkeypatch):
    monkeypatch.setitem(tk.config, "ckanext.yiyang.book.keep", 2)
    for entries in (1, 2, 3):
        _stored("public", "xlsx", entries)
    kept = storage.editions("public", "xlsx")
    assert [m["entries"] for m in kept] == [3, 2]
    assert len(list(book_dir.glob("*.xlsx"))) == 2
    assert call("yiyang_book_show", None, edition="public", format="xlsx")["entries"] == 3
