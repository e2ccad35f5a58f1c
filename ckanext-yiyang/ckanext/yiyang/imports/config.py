"""Typed access to the options of imports (``config_declaration.yaml`` here)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk


def max_rows() -> int:
    """Most data rows one sheet of an imported workbook may have."""
    return int(tk.config.get("ckanext.yiyang.import.max_rows") or 60000)


def max_upload_mb() -> int:
    """Largest workbook the import page accepts, in MB."""
    return int(tk.config.get("ckanext.yiyang.import.max_upload_mb") or 20)


def queue() -> str:
    """The background job queue the imports run on."""
    return tk.config.get("ckanext.yiyang.import.queue") or "default"
