"""Fixtures of the data tests: a file server for resources given by URL, the job worker run in
burst mode against the test Redis, and the people of one unit in every role."""

from __future__ import annotations

import functools
import http.server
import pathlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

import ckan.lib.jobs as jobs
import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.yiyang import config


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def file_server(tmp_path: pathlib.Path) -> Iterator[tuple[pathlib.Path, str]]:
    """``(folder, base_url)``: files written to ``folder`` are served at ``base_url/<name>``;
    ``base_url/status/<code>`` is not a file (404)."""
    handler = functools.partial(_Quiet, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def run_jobs() -> Callable[[], None]:
    """Run every queued job with CKAN's worker (``ckan jobs worker --burst``): real Redis, a
    forked work horse per job."""
    jobs.get_queue().empty()

    def run() -> None:
        jobs.Worker([jobs.DEFAULT_QUEUE_NAME]).work(burst=True)

    return run


@pytest.fixture
def people(make_unit) -> dict[str, Any]:
    """The roles of the per-role tests: a unit's member, editor and admin, another unit's
    editor, a reviewer (the office's member), a sysadmin."""
    users = {
        name: factories.User(email=f"{name}@yiyang.test")
        for name in ("member", "editor", "admin", "other", "reviewer")
    }
    users["sysadmin"] = factories.Sysadmin()
    unit = make_unit(
        title="市市场监管局",
        users=[
            {"name": users["member"]["name"], "capacity": "member"},
            {"name": users["editor"]["name"], "capacity": "editor"},
            {"name": users["admin"]["name"], "capacity": "admin"},
        ],
    )
    make_unit(title="市统计局", users=[{"name": users["other"]["name"], "capacity": "editor"}])
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": users["reviewer"]["name"], "capacity": "member"}],
    )
    return {"unit": unit, **users}


def site() -> dict[str, Any]:
    return {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
