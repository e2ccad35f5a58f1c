"""``ckan yiyang demo``: the command is there, and says what to run first without the units."""

from __future__ import annotations

import pytest
from ckan.cli.cli import ckan

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def test_demo_load_without_the_units_says_what_to_run(cli, ckan_config):
    result = cli.invoke(ckan, ["yiyang", "demo", "load"])
    assert result.exit_code != 0
    assert "ckan yiyang load-units" in result.output


def test_demo_help(cli):
    result = cli.invoke(ckan, ["yiyang", "demo", "--help"])
    assert result.exit_code == 0
    assert "load" in result.output and "reset" in result.output
