"""Typed access to the catalog book's options (``config_declaration.yaml`` beside this file)."""

from __future__ import annotations

import pathlib

import ckan.plugins.toolkit as tk


def directory() -> pathlib.Path:
    """Where the editions and the job status files are kept."""
    configured = tk.config.get("ckanext.yiyang.book.directory") or ""
    if configured:
        return pathlib.Path(configured)
    storage = tk.config.get("ckan.storage_path") or ""
    if not storage:
        raise RuntimeError(
            "the catalog book needs a place for its files: set ckan.storage_path "
            "(or ckanext.yiyang.book.directory)"
        )
    return pathlib.Path(storage) / "yiyang" / "books"


def queue() -> str:
    return tk.config["ckanext.yiyang.book.queue"]


def job_timeout() -> int:
    return int(tk.config["ckanext.yiyang.book.job_timeout"])


def keep() -> int:
    return max(1, int(tk.config["ckanext.yiyang.book.keep"]))


def chunk_weight() -> int:
    return max(50, int(tk.config["ckanext.yiyang.book.chunk_weight"]))


def jobs() -> int:
    """Processes laying out the PDF's parts at the same time (0: one per core)."""
    return max(0, int(tk.config["ckanext.yiyang.book.jobs"]))
