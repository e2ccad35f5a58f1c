"""docker/ stays consistent with the local stack (no Docker engine here: static checks)."""

from __future__ import annotations

import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_docker_deployment_is_consistent_with_config():
    spec = importlib.util.spec_from_file_location("docker_check", ROOT / "docker" / "check.py")
    assert spec and spec.loader
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    assert check.problems() == []
