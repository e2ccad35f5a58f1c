"""Typed access to the options of imports (``config_declaration.yaml`` here)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk


def max_rows() -> int:
    """Most data rows one sheet of an imported workbook may have."""
    return tk.config["ckanext.yiyang.import.max_rows"]


def max_upload_mb() -> int:
    """Largest workbook the import page accepts, in MB."""
    return tk.config["ckanext.yiyang.import.max_upload_mb"]


def queue() -> str:
    """The background job queue the imports run on."""
    return tk.config["ckanext.yiyang.import.queue"]
