"""The data files shipped in ``ckanext/yiyang/data`` (units, classification trees)."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml


@functools.cache
def load(name: str) -> Any:
    """Parsed content of ``data/<name>`` (read once per process; the files never change)."""
    text = resources.files("ckanext.yiyang").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)
