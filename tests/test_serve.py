"""The production server (issue 16.3): gunicorn's settings from the environment, the ini a test
portal is given, the live portal served by the command ``make run`` starts, and a smoke run of
benchmarks/serve.py (``ckan run`` against gunicorn) on a tiny sample."""

from __future__ import annotations

import configparser
import json
import pathlib
import runpy
import subprocess
import sys

import pytest
import requests

from ckanext.yiyang.serving import launcher

ROOT = pathlib.Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "ckanext-yiyang" / "ckanext" / "yiyang" / "serving" / "gunicorn_conf.py"


def _settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict:
    for name in ("YIYANG_WEB_BIND", "YIYANG_WEB_WORKERS", "YIYANG_WEB_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_gunicorn_settings_default_and_from_the_environment(monkeypatch):
    default = _settings(monkeypatch)
    assert (default["bind"], default["workers"], default["threads"]) == ("127.0.0.1:5000", 2, 4)
    assert default["worker_class"] == "gthread"
    assert default["control_socket_disable"] is True
    chosen = _settings(
        monkeypatch, YIYANG_WEB_WORKERS="5", YIYANG_WEB_THREADS="1", YIYANG_WEB_BIND="0.0.0.0:8000"
    )
    assert (chosen["bind"], chosen["workers"], chosen["threads"]) == ("0.0.0.0:8000", 5, 1)


@pytest.mark.parametrize("value", ["two", "0", "-1"])
def test_gunicorn_refuses_a_worker_count_that_is_not_one_or_more(monkeypatch, value):
    with pytest.raises(SystemExit, match="YIYANG_WEB_WORKERS"):
        _settings(monkeypatch, YIYANG_WEB_WORKERS=value)


def test_overlay_ini_puts_options_over_the_base(tmp_path):
    base = ROOT / "config" / "test.ini"
    path = launcher.overlay_ini(
        base, tmp_path / "portal.ini", {"ckanext.yiyang.x": True, "ckan.site_title": "测试"}
    )
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path, encoding="utf-8")
    assert dict(parser["app:main"]) == {
        "use": f"config:{base.resolve()}",
        "ckanext.yiyang.x": "true",
        "ckan.site_title": "测试",
    }
    with pytest.raises(ValueError):
        launcher.overlay_ini(base, tmp_path / "bad.ini", {"a": "x\nb = y"})


def test_make_run_and_the_live_portal_start_the_same_command():
    script = (ROOT / "config" / "bin" / "portal.sh").read_text(encoding="utf-8")
    assert f"-c {launcher.SETTINGS}" in script
    assert f"'{launcher.APP}'" in script
    assert launcher.command()[1:] == ["-c", launcher.SETTINGS, launcher.APP]


def test_live_portal_is_gunicorn_with_two_workers(live_portal, portal_factory):
    (portal,) = [p for p in portal_factory.portals.values() if p.base == live_portal]
    log = portal.log.read_text(errors="replace")
    assert "Starting gunicorn" in log and "Using worker: gthread" in log
    assert portal.ready_workers() == 2
    assert requests.get(f"{live_portal}/api/3/action/status_show", timeout=30).ok


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
def test_serve_benchmark(request):
    """benchmarks/serve.py on 3 entries, 24 requests of each kind from 3 clients: every request
    answered, on both servers, with sane figures."""
    ini = str(ROOT / request.config.getoption("ckan_ini"))
    done = subprocess.run(
        [
            *(sys.executable, str(ROOT / "benchmarks" / "serve.py"), "--config", ini),
            *("--entries", "3", "--requests", "24", "--clients", "3", "--workers", "1"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"{done.stdout[-3000:]}\n{done.stderr[-4000:]}"
    figures = json.loads([line for line in done.stdout.splitlines() if line.startswith("{")][-1])
    assert figures["entries"] == 3 and figures["errors"] == 0
    for server in ("ckan_run", "gunicorn"):
        for kind in ("entry page", "package_search"):
            row = figures[server][kind]
            assert row["requests"] == 24 and row["errors"] == 0, row
            assert row["rps"] > 0 and 0 < row["p50_ms"] <= row["p95_ms"] <= row["max_ms"], row
        # the anonymous search finds the published entries (the empty query: all of them)
        assert figures[server]["package_search"]["max_found"] >= 3
    assert all(r["rps"] > 0 and r["p95"] > 0 for r in figures["ratios"].values())
