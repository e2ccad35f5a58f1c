"""The catalog runs with any add-on switched off, and no add-on runs without the catalog.

The base plugin ``yiyang`` holds the catalog's rules (review, visibility, subscriptions, demands,
notifications); ``yiyang_survey`` (survey forms and imports), ``yiyang_book`` and
``yiyang_progress`` are add-ons a deployment may leave out of ``ckan.plugins``. With one left
out, the pages of the core and of the other two answer, and nothing of the missing one is left:
no page, no navigation link, no action, no ``ckan yiyang`` command.
"""

from __future__ import annotations

import ckan.plugins as p
import pytest
from ckan.cli.cli import ckan
from ckan.exceptions import CkanConfigurationException
from ckan.tests import factories

CORE = "yiyang activity scheming_datasets scheming_organizations"

# Per add-on: its pages, its link in the main navigation, one of its actions, its commands.
ADDONS = {
    "yiyang_survey": {
        "pages": ["/survey", "/survey/import", "/survey/template/entries.xlsx"],
        "nav": 'href="/survey"',
        "action": "yiyang_import_list",
        "commands": ["template", "import"],
    },
    "yiyang_book": {
        "pages": ["/catalog/book"],
        "nav": 'href="/catalog/book"',
        "action": "yiyang_book_list",
        "commands": ["book"],
    },
    "yiyang_progress": {
        "pages": ["/progress", "/progress/export.xlsx"],
        "nav": 'href="/progress"',
        "action": "yiyang_progress_list",
        "commands": [],
    },
}
BASE_COMMANDS = ["ensure-sysadmin", "load-units", "send-due-reminders", "demand-reminders"]


def _without(addon: str) -> str:
    others = [name for name in ADDONS if name != addon]
    return " ".join([*CORE.split()[:1], *others, *CORE.split()[1:]])


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "with_extended_cli")
@pytest.mark.parametrize(
    "disabled",
    [
        pytest.param(name, marks=pytest.mark.ckan_config("ckan.plugins", _without(name)))
        for name in ADDONS
    ],
)
def test_the_core_runs_without_each_addon(app, cli, entry_factory, disabled):
    assert not p.plugin_loaded(disabled)
    sysadmin = factories.Sysadmin()
    headers = {"Authorization": factories.APIToken(user=sysadmin["name"])["token"]}
    entry = entry_factory(published=True)

    # the core: home page, an entry, the review queue, the inbox, the API
    home = app.get("/", headers=headers, status=200).body
    assert "益阳市政务信息资源目录与共享平台" in home
    assert entry["title"] in app.get(f"/dataset/{entry['name']}", headers=headers).body
    app.get("/review", headers=headers, status=200)
    app.get("/dashboard/notifications", headers=headers, status=200)
    search = f"/api/3/action/package_search?fq=name:{entry['name']}"
    assert app.get(search, headers=headers, status=200).json["result"]["count"] == 1
    app.get("/api/3/action/yiyang_review_list", headers=headers, status=200)

    # the other add-ons are all there
    for name, addon in ADDONS.items():
        if name == disabled:
            continue
        for page in addon["pages"]:
            app.get(page, headers=headers, status=200)
        assert addon["nav"] in home, name

    # nothing is left of the disabled one
    addon = ADDONS[disabled]
    for page in addon["pages"]:
        app.get(page, headers=headers, status=404)
    assert addon["nav"] not in home
    refused = app.get(f"/api/3/action/{addon['action']}", headers=headers, status=400)
    assert "Action name not known" in refused.body

    # `ckan yiyang`: the base's commands and the loaded add-ons', not the disabled one's
    listing = cli.invoke(ckan, ["yiyang", "--help"])
    assert listing.exit_code == 0, listing.output
    for name in BASE_COMMANDS:
        assert name in listing.output
    for name, other in ADDONS.items():
        for command in other["commands"]:
            assert (f"  {command} " in listing.output) is (name != disabled), command
    for command in addon["commands"]:
        result = cli.invoke(ckan, ["yiyang", command, "--help"])
        assert result.exit_code != 0
        assert "No such command" in result.output


@pytest.mark.parametrize(
    "addon",
    [pytest.param(name, marks=pytest.mark.ckan_config("ckan.plugins", name)) for name in ADDONS],
)
def test_an_addon_does_not_load_without_the_base(addon):
    try:
        with pytest.raises(CkanConfigurationException, match=f"{addon} is an add-on"):
            p.load_all()
    finally:
        p.unload_all()
