"""Browser tests: Debian's Chromium, driven by Playwright, against a live portal.

The portal is the ``live_portal`` of tests/conftest.py. Playwright drives the system browser at
``/usr/bin/chromium``; it never downloads one. Every page a test opens is watched: a console
error, an uncaught exception or a request that fails or answers 400 and above fails the test
(``page_errors``), unless the test declares it.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
from collections.abc import Iterator
from typing import Any

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = os.environ.get("YIYANG_CHROMIUM", "/usr/bin/chromium")
# Chromium's own background traffic is refused on a closed network; keep it quiet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "page_errors_allowed(status, url=''): the page may answer STATUS (for a URL containing"
        " URL) without failing the test (the browser guard)",
    )


@dataclasses.dataclass
class PageErrors:
    """What went wrong in the pages of one test: console errors, uncaught exceptions, requests
    that failed or answered 400 and above. Every page a test opens (through ``page`` or any
    context of ``browser``) is watched; the test fails once it has run (or, for what arrives
    later, at teardown) on anything it did not declare with :meth:`allow` or the
    ``page_errors_allowed`` marker. A navigation's cancelled requests (ERR_ABORTED) are not
    errors of the page."""

    problems: list[str] = dataclasses.field(default_factory=list)
    allowed: list[tuple[int, str]] = dataclasses.field(default_factory=list)
    # URLs answered with an allowed status: Chromium logs each as a console error too.
    allowed_urls: set[str] = dataclasses.field(default_factory=set)

    def allow(self, status: int, url: str = "") -> None:
        """Let the page answer ``status`` for a URL containing ``url`` (a test that expects it)."""
        self.allowed.append((status, url))

    def _allowed(self, status: int, url: str) -> bool:
        return any(status == s and part in url for s, part in self.allowed)

    def watch(self, page: Any) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        if url in self.allowed_urls and message.text.startswith("Failed to load resource"):
            return
        self.problems.append(f"console error: {message.text} ({url})")

    def _request_failed(self, request: Any) -> None:
        failure = request.failure or ""
        # A navigation cancels the requests of the page it leaves: not the page's fault.
        if "ERR_ABORTED" in failure:
            return
        self.problems.append(f"request failed: {request.method} {request.url}: {failure}")

    def _response(self, response: Any) -> None:
        if response.status < 400:
            return
        if self._allowed(response.status, response.url):
            self.allowed_urls.add(response.url)
            return
        self.problems.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def check(self) -> None:
        problems, self.problems = self.problems, []
        if problems:
            pytest.fail(
                "the page had errors (declare an expected one with"
                " page_errors.allow(status, url) or @pytest.mark.page_errors_allowed):\n  "
                + "\n  ".join(dict.fromkeys(problems)),
                pytrace=False,
            )


class WatchedBrowser:
    """The session's Chromium, with every page of every new context watched by ``errors``."""

    def __init__(self, browser: Any, errors: PageErrors) -> None:
        self._browser = browser
        self._errors = errors

    def new_context(self, **kwargs: Any) -> Any:
        context = self._browser.new_context(**kwargs)
        context.on("page", self._errors.watch)
        return context

    def new_page(self, **kwargs: Any) -> Any:
        return self.new_context(**kwargs).new_page()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (`make install`)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Fail the test itself (not its teardown) on what its pages did wrong; a test that failed
    anyway gets them in its report."""
    errors = getattr(item, "funcargs", {}).get("page_errors")
    try:
        result = yield
    except BaseException:
        if errors is not None and errors.problems:
            item.add_report_section("call", "page errors", "\n".join(errors.problems))
            errors.problems.clear()
        raise
    if errors is not None:
        errors.check()
    return result


@pytest.fixture
def page_errors(request: pytest.FixtureRequest) -> Iterator[PageErrors]:
    """The browser guard of this test (see :class:`PageErrors`)."""
    errors = PageErrors()
    for marker in request.node.iter_markers("page_errors_allowed"):
        errors.allow(*marker.args, **marker.kwargs)
    yield errors
    errors.check()


@pytest.fixture
def browser(chromium, page_errors):
    return WatchedBrowser(chromium, page_errors)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def reload_settled(page: Any, attempts: int = 5) -> None:
    """Reload ``page`` once a job it shows has run. A page that follows a running job (the
    import page) refreshes itself every two seconds; a reload that meets that refresh is
    aborted (``net::ERR_ABORTED``) — then the page's own load is waited for and the reload
    asked again. Once a reload lands after the job, the page shows the outcome and no longer
    refreshes itself."""
    from playwright.sync_api import Error

    for attempt in range(1, attempts + 1):
        try:
            page.reload()
            return
        except Error as error:
            if "ERR_ABORTED" not in str(error) or attempt == attempts:
                raise
            page.wait_for_load_state()


@pytest.fixture
def screenshot_dir() -> pathlib.Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def screenshot(page):
    """Save the page as var/screenshots/NAME.png (kept for a person to look at)."""

    def take(name: str) -> pathlib.Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


PASSWORD = "correct-horse-98"


@pytest.fixture
def browser_user():
    """``browser_user(**kwargs)``: a user who can log in with PASSWORD (and no picture from
    the internet: CKAN's factory takes one from placekittens.com, which a closed network and
    the browser guard refuse)."""
    from ckan.tests import factories

    return lambda **kwargs: factories.User(**{"password": PASSWORD, "image_url": "", **kwargs})


@pytest.fixture
def make_unit(make_unit):
    """tests/conftest.py's ``make_unit``, without the factory's picture from the internet."""
    return lambda **kwargs: make_unit(**{"image_url": "", **kwargs})


@pytest.fixture
def log_in(live_portal):
    """``log_in(page, user_name)``: log in through the login form (password PASSWORD)."""

    def go(page, name: str) -> None:
        page.goto(live_portal + "/user/login")
        page.fill("#field-login", name)
        page.fill("#field-password", PASSWORD)
        page.click("form button.btn-primary[type=submit]")
        page.wait_for_load_state()
        assert page.locator(".account .username, a[href*='/user/']").count() > 0, (
            f"{name} could not log in"
        )

    return go


@pytest.fixture
def fill_entry_form(live_portal):
    """``fill_entry_form(page, unit_id, title=…, notes=…, tags=…, **selects)``: open the new
    entry form and fill in every required field the way a person would (selects by value);
    the caller adds what it needs (信息项 rows) and saves."""
    defaults = {
        "catalog_category": "101",
        "subject_category": "03",
        "format_class": "electronic_document",
        "share_type": "unconditional",
        "share_method": "platform_file",
        "open_to_public": "no",
        "update_cycle": "monthly",
        "disclosure_scope": "public",
        "management_mode": "computer",
    }

    def fill(page, unit_id: str, title: str, notes: str, tags: str, **selects: str) -> None:
        page.goto(live_portal + "/dataset/new")
        page.fill("#field-title", title)
        page.fill("#field-notes", notes)
        page.select_option("#field-organizations", unit_id)
        # the keyword field is a select2 widget; the form posts the input's value
        page.eval_on_selector("#field-tag_string", "(el, v) => { el.value = v; }", tags)
        for field, value in {**defaults, **selects}.items():
            page.select_option(f"#field-{field}", value)

    return fill
