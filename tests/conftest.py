"""Fixtures of the whole suite.

The suite runs against the real services of the local stack (PostgreSQL, Redis, Solr): none is
faked. When one is not reachable the run stops at once and says how to start it.
"""

from __future__ import annotations

import configparser
import dataclasses
import email
import email.policy
import itertools
import os
import pathlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import urlparse

import ckan.plugins.toolkit as tk
import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def _test_settings(ini: str) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ini, encoding="utf-8")
    return dict(parser["app:main"])


def _reachable(url: str, default_port: int) -> bool:
    parts = urlparse(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or default_port), timeout=3):
            return True
    except OSError:
        return False


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Fail fast, before CKAN loads, when a service of the stack is down."""
    ini = session.config.getoption("ckan_ini", None)
    if not ini:
        return
    settings = _test_settings(ini)
    wanted = {
        "PostgreSQL": (settings["sqlalchemy.url"], 5432),
        "Solr": (settings["solr_url"], 8983),
        "Redis": (settings["ckan.redis.url"], 6379),
    }
    down = [name for name, (url, port) in wanted.items() if not _reachable(url, port)]
    if down:
        pytest.exit(
            f"{', '.join(down)} not reachable (see {ini}). The suite runs against the real "
            "services: start them with `make test` (sets up and runs everything) or "
            "`make services`, then run pytest again.",
            returncode=3,
        )


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's ``clean_db``, then the migrations of the plugins that have tables of their own."""
    from ckanext.yiyang.catalog import categories

    reset_db()
    migrate_db_for("activity")
    migrate_db_for("yiyang")
    categories.forget_added()  # this process's copy of the levels the office added


# Unit codes are three digits, unique among the units of one test (clean_db empties the
# database between tests): cycling through them never runs out, however many tests create units.
_unit_counter = itertools.cycle(range(100, 1000))


@pytest.fixture
def make_unit():
    """Create a unit (organization) through the action API: ``make_unit(title=…, users=…)``."""
    from ckan.tests import factories

    def make(**kwargs):
        code = f"{next(_unit_counter):03d}"
        kwargs.setdefault("title", f"测试单位{code}")
        kwargs.setdefault("unit_group", "02")
        kwargs.setdefault("unit_code", code)
        return factories.Organization(**kwargs)

    return make


def _entry_data(owner_org: str, **overrides):
    """A complete, valid catalog entry (every rule of catalog-model §1 satisfied)."""
    data = {
        "type": "dataset",
        "title": "益阳市企业注册登记信息",
        "notes": "全市企业的注册登记信息，包括企业名称、统一社会信用代码和注册资本。",
        "owner_org": owner_org,
        "catalog_category": "102",
        "subject_category": "02",
        "tag_string": "企业,注册登记",
        "format_class": "database",
        "format_type": "oracle",
        "share_type": "conditional",
        "share_condition": "仅用于市场监管和税务征管",
        "share_method": "platform_api",
        "open_to_public": "no",
        "update_cycle": "daily",
        "disclosure_scope": "partial",
        "management_mode": "computer",
        "data_items": [
            {
                "name": "企业名称",
                "description": "营业执照上的名称",
                "data_type": "string",
                "length": 200,
                "disclosure_scope": "public",
            },
            {
                "name": "注册资本",
                "description": "企业的注册资本",
                "data_type": "numeric",
                "unit": "万元",
                "disclosure_scope": "internal",
            },
        ],
    }
    data.update(overrides)
    return data


@pytest.fixture
def entry_factory(make_unit):
    """Create a valid entry through ``package_create`` as a sysadmin; overrides as kwargs."""
    import ckan.plugins.toolkit as tk
    from ckan.tests import factories

    sysadmin = factories.Sysadmin()

    def make(owner_org: str | None = None, published: bool = False, **overrides):
        """``published``: also put it through review (submitted, approved) as a sysadmin."""
        org = owner_org or make_unit()["id"]
        entry = tk.get_action("package_create")(
            {"user": sysadmin["name"]}, _entry_data(org, **overrides)
        )
        if published:
            for step in ("submit", "approve"):
                entry = tk.get_action(f"yiyang_review_{step}")(
                    {"user": sysadmin["name"]}, {"id": entry["id"]}
                )
        return entry

    return make


@pytest.fixture
def entry_data():
    """``entry_data(owner_org, **overrides)``: the dict of a complete, valid entry."""
    return _entry_data


@pytest.fixture(scope="session")
def live_portal(request: pytest.FixtureRequest) -> Iterator[str]:
    """URL of a real portal process (``ckan run``) serving the test configuration: its own
    database, Solr core and Redis database. Started once per session."""
    ini = request.config.getoption("ckan_ini")
    # A free port of its own: another test run on this machine may hold the configured one.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    log = ROOT / "var" / "log" / "test-portal.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "ckan"),
                "-c",
                ini,
                "run",
                "-H",
                "127.0.0.1",
                "-p",
                str(port),
                "--disable-reloader",
                "--disable-debugger",
                "--threaded",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            # Its links and redirects must point at itself.
            env={**os.environ, "CKAN_SITE_URL": base},
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                answered = requests.get(f"{base}/api/3/action/status_show", timeout=5).ok
                if answered and proc.poll() is None:
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-3000:]
                pytest.fail(f"the test portal on {base} did not start:\n{tail}")
            time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@dataclasses.dataclass
class MailSink:
    folder: pathlib.Path
    port: int

    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted(self.folder.glob("*.eml"))
        ]


@pytest.fixture
def mail_sink(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MailSink]:
    """The project's SMTP sink (config/bin/mailsink.py) as a process of its own on a free
    loopback port, with CKAN's ``smtp.server`` pointing at it: real SMTP, nothing mocked."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path / "mail"
    log_path = tmp_path / "mailsink.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "config" / "bin" / "mailsink.py"),
                "--port",
                str(port),
                "--dir",
                str(folder),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        "the mail sink did not start: " + log_path.read_text(errors="replace")
                    )
                time.sleep(0.1)
        monkeypatch.setitem(tk.config, "smtp.server", f"127.0.0.1:{port}")
        monkeypatch.setitem(tk.config, "smtp.starttls", False)
        yield MailSink(folder, port)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
