"""Typed access to the options of the survey forms (``config_declaration.yaml`` here)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk


def export_max_entries() -> int:
    """The most entries one export may hold."""
    return int(tk.config["ckanext.yiyang.survey.export_max_entries"])
