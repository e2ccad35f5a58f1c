"""Browser tests: Debian's Chromium, driven by Playwright, against a live portal.

The portal is the ``live_portal`` of tests/conftest.py. Playwright drives the system browser at
``/usr/bin/chromium``; it never downloads one.
"""

from __future__ import annotations

import os
import pathlib

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


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium (`make install`)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


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
    """``browser_user(**kwargs)``: a user who can log in with PASSWORD."""
    from ckan.tests import factories

    return lambda **kwargs: factories.User(password=PASSWORD, **kwargs)


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
