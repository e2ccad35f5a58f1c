"""Browser tests: Debian's Chromium, driven by Playwright, against a live portal.

The portal is a real ``ckan run`` process on the test configuration (its own database, Solr
core and Redis database), started once per session. Playwright drives the system browser at
``/usr/bin/chromium``; it never downloads one.
"""

from __future__ import annotations

import os
import pathlib
import subprocess
import time
from collections.abc import Iterator
from urllib.parse import urlparse

import ckan.plugins.toolkit as tk
import pytest
import requests

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
def live_portal(request: pytest.FixtureRequest) -> Iterator[str]:
    """URL of a portal process serving the test configuration."""
    ini = request.config.getoption("ckan_ini")
    base = tk.config["ckan.site_url"].rstrip("/")
    port = urlparse(base).port or 80
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
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(f"{base}/api/3/action/status_show", timeout=5).ok:
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
def screenshot(page):
    """Save the page as var/screenshots/NAME.png (kept for a person to look at)."""

    def take(name: str) -> pathlib.Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
