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
import typing
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


def worker_settings(settings: dict[str, str], worker: str | None) -> dict[str, str]:
    """The services of one pytest-xdist worker (``gw0``, ``gw1``, …): the first uses the test
    configuration's own database, Solr core and Redis database; worker N its own
    ``<database>_gwN``, ``<core>_gwN``, DataStore ``<datastore>_gwN``, Redis database 10+N, and
    a storage folder of its own. ``config/bin/portal.sh test-db`` creates them (``make test`` runs it)."""
    number = int(worker[2:]) if worker and worker.startswith("gw") else 0
    if not number:
        return {}
    db = urlparse(settings["sqlalchemy.url"])
    solr = settings["solr_url"].rstrip("/")
    redis_url = urlparse(settings["ckan.redis.url"])
    return {
        "CKAN_SQLALCHEMY_URL": db._replace(path=f"{db.path}_gw{number}").geturl(),
        "CKAN_SOLR_URL": f"{solr}_gw{number}",
        "CKAN_REDIS_URL": redis_url._replace(path=f"/{10 + number}").geturl(),
        "CKAN_DATASTORE_WRITE_URL": f"{settings['ckan.datastore.write_url']}_gw{number}",
        "CKAN_DATASTORE_READ_URL": f"{settings['ckan.datastore.read_url']}_gw{number}",
        "CKAN_STORAGE_PATH": str(ROOT / "var" / f"test-storage-gw{number}"),
    }


def solr_auth() -> tuple[str, str] | None:
    """CKAN's Solr credentials (Solr answers only with them): the environment's, else those
    ``make`` wrote into var/ckan.ini (config/bin/portal.sh config)."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "var" / "ckan.ini", encoding="utf-8")
    ini = parser["app:main"] if parser.has_section("app:main") else {}
    user = os.environ.get("CKAN_SOLR_USER") or ini.get("solr_user")
    password = os.environ.get("CKAN_SOLR_PASSWORD") or ini.get("solr_password")
    return (user, password) if user and password else None


def _missing_worker_services(env: dict[str, str]) -> list[str]:
    """A worker's database or Solr core that does not exist yet."""
    import psycopg2

    missing = []
    for key in ("CKAN_SQLALCHEMY_URL", "CKAN_DATASTORE_WRITE_URL"):
        try:
            psycopg2.connect(env[key], connect_timeout=5).close()
        except psycopg2.OperationalError:
            missing.append(f"database {urlparse(env[key]).path[1:]}")
    try:
        ping = requests.get(f"{env['CKAN_SOLR_URL']}/admin/ping", auth=solr_auth(), timeout=10)
        if not ping.ok:
            missing.append(f"Solr core {env['CKAN_SOLR_URL']}")
    except requests.RequestException:
        missing.append(f"Solr core {env['CKAN_SOLR_URL']}")
    return missing


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Fail fast, before CKAN loads, when a service of the stack is down; in a worker of a
    parallel run (``pytest -n``), point CKAN at the worker's own services first."""
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
    env = worker_settings(settings, os.environ.get("PYTEST_XDIST_WORKER"))
    if env:
        missing = _missing_worker_services(env)
        if missing:
            pytest.exit(
                f"{', '.join(missing)} of test worker {os.environ['PYTEST_XDIST_WORKER']} "
                "missing: `make test` creates them (or `TEST_WORKERS=N "
                "config/bin/portal.sh test-db` with the services running).",
                returncode=3,
            )
        # CKAN reads these over the ini; the portal and worker processes tests start
        # inherit them.
        os.environ.update(env)
        pathlib.Path(env["CKAN_STORAGE_PATH"]).mkdir(parents=True, exist_ok=True)


# The longest pieces of a parallel run, handed out first so that no worker is left with one of
# them at the end while the other idles.
SLOW_FIRST = (
    "tests/security/test_generated_matrix.py::test_generated_visibility_matrix[",
    "tests/subscription/test_subscription_resource_visibility.py",
    "tests/faults/",
    "tests/solrcloud/",
    "tests/browser/",
    "tests/review/test_visibility_matrix.py",
    "tests/test_benchmarks.py",
    "tests/catalog/test_units.py::TestLoader",
)


# Tests long enough to be scopes of their own in a parallel run (each parametrized case goes
# to whichever worker is free; a worker builds the module's scenario when it first needs it).
SPLIT_PER_TEST = (
    "tests/security/test_generated_matrix.py::test_generated_visibility_matrix[",
    "tests/subscription/test_subscription_resource_visibility.py::test_resource_matrix[",
    "tests/review/test_visibility_matrix.py::test_visibility_matrix[",
    "tests/test_benchmarks.py::",
)


# The fault tests (their own PostgreSQL, Redis, Solr and portal: tests/faults/conftest.py)
# go to one worker as one scope.
ONE_SCOPE = "tests/faults/"


def _slow_rank(nodeid: str) -> int:
    return next((i for i, prefix in enumerate(SLOW_FIRST) if nodeid.startswith(prefix)), 99)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In a parallel run, the slowest scopes first (a stable sort: the order within each
    module stays the written one)."""
    if getattr(config.option, "numprocesses", None):
        items.sort(key=lambda item: _slow_rank(item.nodeid))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: typing.Any) -> typing.Any:
    """Parallel runs hand out whole modules (a class of its own is a unit too), so that a
    module's shared scenario is built once; the browser modules too, each worker that gets one
    starting its own portal (on its own database) and Chromium once, so that the browser tests
    run on both workers; the long matrix tests (SPLIT_PER_TEST) go one by one."""
    from xdist.scheduler import LoadScopeScheduling

    # xdist would hand out the scopes with the most tests first, which puts the longest ones
    # (a matrix test is a scope of one) last: keep the order pytest_collection_modifyitems made.
    config.option.loadscopereorder = False

    class ModuleScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith(SPLIT_PER_TEST):
                return nodeid
            if nodeid.startswith(ONE_SCOPE):
                # one worker starts the fault tests' own services, once
                return ONE_SCOPE
            return super()._split_scope(nodeid)

    return ModuleScheduling(config, log)


@pytest.fixture(scope="session", autouse=True)
def _light_password_hashes() -> Iterator[None]:
    """Test accounts' passwords hashed with 1,000 PBKDF2-SHA512 rounds instead of 25,000:
    the same algorithm and verification, without spending a tenth of a second of CPU on each
    of the thousands of users the suite creates. (A portal process that verifies one of these
    hashes upgrades it to the full rounds, as CKAN does for old hashes.)"""
    from ckan.model import user
    from passlib.hash import pbkdf2_sha512

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(user, "pbkdf2_sha512", pbkdf2_sha512.using(rounds=1000))
        yield


def _fresh_plugins(request: pytest.FixtureRequest) -> bool:
    """Whether a test provides a plugin of its own: then the plugins are loaded for it alone,
    as CKAN does for every test. (Our plugins read their options when used, so a test's
    ``ckan_config`` marks need no reload, only their values converted to the declared types;
    one that changes ``ckan.plugins`` gets it.)"""
    return any(request.node.iter_markers("provide_plugin"))


@pytest.fixture
def with_plugins(ckan_config, provide_plugin, monkeypatch, request):
    """CKAN's ``with_plugins``, except that the plugins stay loaded from one test to the next
    that wants the same ones: loading them rebuilds CKAN's whole configuration (twice a test,
    with the unload), the largest fixed cost of a test. A test that wants other plugins, or
    provides one, gets them loaded afresh."""
    import ckan.plugins as p
    from ckan.plugins import core

    names: list[str] = []
    for mark in request.node.iter_markers("with_plugins"):
        for plugin in mark.args:
            if isinstance(plugin, dict):
                for name, impl in plugin.items():
                    provide_plugin(name, impl)
                    names.append(name)
            else:
                names.append(plugin)
    current = ckan_config["ckan.plugins"]
    if isinstance(current, str):
        current = current.split()
    wanted = [*current, *names]
    monkeypatch.setitem(ckan_config, "ckan.plugins", wanted)
    fresh = _fresh_plugins(request)
    if fresh or wanted != core._PLUGINS:
        p.load_all()
    elif any(request.node.iter_markers("ckan_config")):
        # what loading the plugins does to the options a test patched: their declared types
        from ckan.common import config_declaration

        config_declaration.normalize(ckan_config)
    yield
    if fresh:
        p.unload_all()


_apps: dict[tuple[typing.Any, ...], typing.Any] = {}


@pytest.fixture
def make_app(ckan_config, request):
    """CKAN's ``make_app``, with the WSGI application kept while the plugins and the test's
    ``ckan_config`` marks (the Flask app copies the configuration when it is built) are the
    same: building it loads the plugins and the whole Flask stack again. Each test still gets a
    client of its own, so no cookie is carried over."""
    from ckan.lib.app_globals import _CONFIG_CACHE
    from ckan.plugins import core
    from ckan.tests import helpers

    _CONFIG_CACHE.clear()
    fresh = _fresh_plugins(request)
    marks = tuple(repr(m.args) for m in request.node.iter_markers("ckan_config"))

    def make():
        if fresh:
            return helpers._get_test_app()
        key = (tuple(core._PLUGINS), marks)
        if key in _apps:
            ckan_config["testing"] = True
            # what make_app does besides loading the plugins and building the stack: read the
            # site settings kept in the database (a clean test has none) again
            from ckan.lib import app_globals

            app_globals.reset()
        else:
            app = helpers._get_test_app().app
            if any(plugins != key[0] for plugins, _marks in _apps):
                _apps.clear()
            _apps[key] = app
        return helpers.CKANTestApp(_apps[key])

    return make


@pytest.fixture(scope="session")
def _migrated_db(reset_db, migrate_db_for) -> set[str]:
    """CKAN's tables, then those of activity, ours and ckanext-harvest's, once per session (per worker): the
    first ``reset_db`` of a process drops every table, so the session starts from the
    migrations alone. Returns the names of the tables."""
    import ckan.plugins as p
    import sqlalchemy as sa
    from ckan import model

    # The migrations of a plugin are found through the loaded plugin.
    if not p.plugin_loaded("yiyang"):
        p.load_all()
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("yiyang")
    migrate_db_for("harvest")  # ckanext-harvest's plugin reads its tables at every indexing
    tables = set(sa.inspect(model.Session.get_bind()).get_table_names())
    model.Session.remove()
    return tables


def _empty_db(tables: set[str]) -> None:
    """What CKAN's reset_db empties: the tables of the models imported so far (ours among
    them), never the alembic version tables; in one transaction (DELETE: on tables this
    small, TRUNCATE costs 30 times more)."""
    import sqlalchemy as sa
    from ckan import model
    from ckan.tests import factories
    from sqlalchemy.orm import close_all_sessions

    from ckanext.yiyang.catalog import categories

    factories.fake.unique.clear()
    close_all_sessions()
    with model.Session.get_bind().begin() as conn:
        for table in reversed(model.repo.metadata.sorted_tables):
            if table.name in tables and not table.name.endswith("alembic_version"):
                conn.execute(sa.delete(table))
    model.Session.remove()
    categories.forget_added()  # this process's copy of the levels the office added


@pytest.fixture
def clean_db(_migrated_db: set[str]) -> None:
    """An empty world, as CKAN's ``clean_db`` leaves it, without its per-test costs: the
    tables emptied in one transaction, the migrations not re-run (they ran once)."""
    _empty_db(_migrated_db)


# Unit codes are three digits, unique among the units of one test (clean_db empties the
# database between tests): cycling through them never runs out, however many tests create units.
_unit_counter = itertools.cycle(range(100, 1000))


@pytest.fixture(scope="session")
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


def _entry_maker(make_unit):
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
def entry_factory(make_unit):
    """Create a valid entry through ``package_create`` as a sysadmin; overrides as kwargs."""
    return _entry_maker(make_unit)


@pytest.fixture(scope="module")
def module_clean_db(_migrated_db: set[str]) -> None:
    """``clean_db`` and ``clean_index`` once for a whole module, with the configured plugins
    loaded: for a module whose tests only read one scenario, built once by a module-scoped
    fixture that depends on this one (its tests then use ``with_plugins`` alone)."""
    import ckan.plugins as p
    from ckan.lib import search
    from ckan.plugins import core

    configured = tk.config["ckan.plugins"]
    if isinstance(configured, str):
        configured = configured.split()
    if list(configured) != core._PLUGINS:
        p.load_all()
    _empty_db(_migrated_db)
    search.clear_all()


@pytest.fixture(scope="module")
def module_entry_factory(module_clean_db, make_unit):
    """``entry_factory`` for module-scoped scenarios."""
    return _entry_maker(make_unit)


@pytest.fixture
def entry_data():
    """``entry_data(owner_org, **overrides)``: the dict of a complete, valid entry."""
    return _entry_data


class PortalFactory:
    """``portal_factory(**ini_options)`` (or ``portal_factory({"a.b": "x"}, workers=1)``): the
    URL of a real portal process serving the test configuration with ``ini_options`` over it
    (an ini of its own, ``use = config:`` the test ini): the command ``make run`` starts
    (gunicorn, ckanext/yiyang/serving/) with ``workers`` processes. A portal with the same
    options is started once and kept for the session; ``stop(url)`` ends one sooner."""

    def __init__(self, ini: str, folder: pathlib.Path) -> None:
        self.ini = pathlib.Path(ini).resolve()
        self.folder = folder
        self.portals: dict[tuple[typing.Any, ...], typing.Any] = {}
        # One set of portals per worker of a parallel run, each with logs of its own.
        worker = os.environ.get("PYTEST_XDIST_WORKER", "")
        self.log_prefix = f"test-portal{'-' + worker if worker else ''}"

    def __call__(
        self,
        options: typing.Mapping[str, object] | None = None,
        /,
        *,
        workers: int = 2,
        **ini_options: object,
    ) -> str:
        from ckanext.yiyang.serving import launcher

        wanted = {**(options or {}), **ini_options}
        key = (tuple(sorted((k, str(v)) for k, v in wanted.items())), workers)
        if key in self.portals:
            return self.portals[key].base
        number = len(self.portals)
        ini = self.ini
        if wanted:
            ini = launcher.overlay_ini(self.ini, self.folder / f"portal-{number}.ini", wanted)
        log = ROOT / "var" / "log" / f"{self.log_prefix}{'-' + str(number) if number else ''}.log"
        try:
            portal = launcher.start(ini, log, workers=workers, cwd=ROOT)
        except launcher.PortalFailed as error:
            pytest.fail(str(error))
        self.portals[key] = portal
        return portal.base

    def stop(self, base: str) -> None:
        for key, portal in list(self.portals.items()):
            if portal.base == base:
                portal.stop()
                del self.portals[key]

    def stop_all(self) -> None:
        for portal in self.portals.values():
            portal.stop()
        self.portals.clear()


@pytest.fixture(scope="session")
def portal_factory(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PortalFactory]:
    """Start real portal processes on the test services (see :class:`PortalFactory`); every
    one still running is stopped at the end of the session."""
    factory = PortalFactory(
        request.config.getoption("ckan_ini"), tmp_path_factory.mktemp("portals")
    )
    try:
        yield factory
    finally:
        factory.stop_all()


@pytest.fixture(scope="session")
def live_portal(portal_factory: PortalFactory) -> str:
    """URL of a real portal serving the test configuration (its own database, Solr core and
    Redis database) as ``make run`` serves: gunicorn with two worker processes (so a request
    and the next may be answered by different processes, as in production). Started once per
    session."""
    return portal_factory()


@dataclasses.dataclass
class MailSink:
    folder: pathlib.Path
    port: int

    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted(self.folder.glob("*.eml"))
        ]


@pytest.fixture(scope="session")
def _mail_sink_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailSink]:
    """The project's SMTP sink (config/bin/mailsink.py), a process of its own on a free
    loopback port, started once per session."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = tmp_path_factory.mktemp("mailsink")
    folder = base / "mail"
    log_path = base / "mailsink.log"
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
        yield MailSink(folder, port)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture
def mail_sink(_mail_sink_process: MailSink, monkeypatch: pytest.MonkeyPatch) -> MailSink:
    """The project's SMTP sink (config/bin/mailsink.py) with CKAN's ``smtp.server`` pointing
    at it: real SMTP, nothing mocked. One process serves the session; its folder is emptied
    before each test, which so sees only the mails sent during it (the sink has written a
    mail before it answers the SMTP conversation: none arrives late)."""
    for path in _mail_sink_process.folder.glob("*"):
        path.unlink()
    monkeypatch.setitem(tk.config, "smtp.server", f"127.0.0.1:{_mail_sink_process.port}")
    monkeypatch.setitem(tk.config, "smtp.starttls", False)
    return _mail_sink_process
