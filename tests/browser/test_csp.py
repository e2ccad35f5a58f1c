"""The portal's Content-Security-Policy lets CKAN's own scripts and styles run (issue 11 §13):
no violation on the pages a visitor opens first, and CKAN's JavaScript modules are loaded."""

from __future__ import annotations

import pytest

# An empty catalog: units other tests left behind carry the factories' pictures from other
# hosts, which the policy (img-src 'self') rightly blocks.
pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

# Recorded from the first script on: a violation before our check runs is still seen.
RECORD = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__cspViolations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline'));
});
"""


@pytest.mark.parametrize(
    "path", ["/", "/dataset/", "/user/login", "/organization/", "/en/dataset/"]
)
def test_pages_run_under_the_policy(page, live_portal, path):
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORD)
    response = page.goto(live_portal + path)
    assert response is not None and response.ok
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__cspViolations") == []
    assert not [text for text in console if "Content Security Policy" in text]
    # CKAN's module system (webassets) ran under the policy
    assert page.evaluate("typeof window.ckan === 'object' && typeof ckan.module === 'function'")
