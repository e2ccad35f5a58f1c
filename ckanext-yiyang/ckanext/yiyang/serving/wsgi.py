"""CKAN's WSGI application for a production server, built from the configuration file named by
``CKAN_INI`` (as CKAN's own CLI reads it, logging sections included).

    CKAN_INI=var/ckan.ini gunicorn -c python:ckanext.yiyang.serving.gunicorn_conf \\
        'ckanext.yiyang.serving.wsgi:create_app()'

Each gunicorn worker calls :func:`create_app` once (no ``preload_app``: the database, Redis and
Solr connections are made in the worker that uses them, never shared across a fork).
"""

from __future__ import annotations

import fcntl
import logging
import os
import sys
from typing import Any


def create_app(ini: str | None = None) -> Any:
    """The WSGI application of the configuration ``ini`` (default: ``$CKAN_INI``); also writes
    the JavaScript translations when they are older than the catalogs, as ``ckan run`` does
    before it serves."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    path = ini or os.environ.get("CKAN_INI")
    if not path:
        raise RuntimeError("CKAN_INI names no configuration file (e.g. CKAN_INI=var/ckan.ini)")
    config = load_config(path)
    # load_config applies the file's logging sections (logging.config.fileConfig), which
    # disables every logger the file does not name: gunicorn's own, the access log among them.
    for name in ("gunicorn.error", "gunicorn.access"):
        logging.getLogger(name).disabled = False
    app = make_app(config)
    _build_js_translations()
    # launcher.READY: what the launcher waits for, once per worker
    print(f"[yiyang] worker ready (pid {os.getpid()})", file=sys.stderr, flush=True)
    return app


def _build_js_translations() -> None:
    """CKAN's ``build_js_translations`` under a file lock: the workers start together, and one
    must not read a translation file another is writing. The first writes what is out of date;
    the others then find everything up to date and write nothing."""
    from ckan.lib import i18n

    folder = i18n.get_js_translations_dir()
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, ".build.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            i18n.build_js_translations()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
