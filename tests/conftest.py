"""Fixtures of the whole suite.

The suite runs against the real services of the local stack (PostgreSQL, Redis, Solr): none is
faked. When one is not reachable the run stops at once and says how to start it.
"""

from __future__ import annotations

import configparser
import pathlib
import socket
from urllib.parse import urlparse

import pytest

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
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("yiyang")
