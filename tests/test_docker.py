"""docker/ stays consistent with the local stack (no Docker engine here: static checks)."""

from __future__ import annotations

import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _check():
    spec = importlib.util.spec_from_file_location("docker_check", ROOT / "docker" / "check.py")
    assert spec and spec.loader
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    return check


def test_docker_deployment_is_consistent_with_config():
    assert _check().problems() == []


def test_stale_plugin_names_and_order_are_found():
    found: list[str] = []
    _check()._check_plugins({"ckan.plugins": "yiyang_book yiyang yiyang_review activity"}, found)
    assert found == [
        "config/ckan-settings.ini: ckan.plugins names yiyang_review, which setup.py does not "
        "register",
        "config/ckan-settings.ini: ckan.plugins must list yiyang before its add-ons",
    ]
