"""Imports of filled survey workbooks (附件2, 附件3, 附件4): dry run, all-or-nothing or valid rows only, by CLI and by a web page with a background job."""

from __future__ import annotations

from ckanext.yiyang.imports.engine import run_import
from ckanext.yiyang.imports.report import ImportReport, Mapping, Problem

__all__ = ["ImportReport", "Mapping", "Problem", "run_import"]
