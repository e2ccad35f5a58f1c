"""Data services (issue 13.2): a resource of kind ``service`` with a ``service_url``, checked by a
background job on save (status code, latency, when) and by ``ckan yiyang data check-services``."""

from __future__ import annotations

import socket

import ckan.plugins.toolkit as tk
import pytest
from click.testing import CliRunner

from ckanext.yiyang.data import model as data_model
from ckanext.yiyang.data.cli import data_group

from .conftest import site

pytestmark = [pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")]


def _service(entry, url):
    return tk.get_action("resource_create")(
        site(),
        {
            "package_id": entry["id"],
            "name": "企业信息查询接口",
            "url": url,
            "resource_kind": "service",
            "service_url": url,
        },
    )


def _state(resource_id):
    data_model.model.Session.expire_all()
    return data_model.state(resource_id).as_dict()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_service_is_checked_when_saved(entry_factory, file_server, run_jobs):
    folder, base = file_server
    (folder / "api").write_text('{"success": true}', encoding="utf-8")
    entry = entry_factory()
    resource = _service(entry, f"{base}/api")
    assert resource["resource_kind"] == "service"

    run_jobs()

    state = _state(resource["id"])
    assert state["service_status"] == 200
    assert state["service_latency_ms"] is not None and state["service_latency_ms"] >= 0
    assert state["service_checked_at"]
    assert state["load_state"] is None  # a service is not loaded into the DataStore
    shown = tk.get_action("yiyang_data_status_show")(site(), {"id": entry["id"]})
    assert shown["resources"][0]["service_status"] == 200


def test_a_failing_service_records_the_status_or_the_reason(entry_factory, file_server, run_jobs):
    _, base = file_server
    entry = entry_factory()
    missing = _service(entry, f"{base}/no-such-api")
    unreachable = _service(entry, f"http://127.0.0.1:{_closed_port()}/api")

    run_jobs()

    assert _state(missing["id"])["service_status"] == 404
    state = _state(unreachable["id"])
    assert state["service_status"] is None
    assert state["service_error"] == "ConnectionError"


def test_the_cron_command_checks_every_service(entry_factory, file_server, run_jobs):
    folder, base = file_server
    (folder / "api").write_text("ok", encoding="utf-8")
    entry = entry_factory()
    resource = _service(entry, f"{base}/api")
    run_jobs()
    (folder / "api").unlink()

    result = CliRunner().invoke(data_group, ["check-services", "--now"])

    assert result.exit_code == 0, result.output
    assert "1 services checked" in result.output
    assert _state(resource["id"])["service_status"] == 404
