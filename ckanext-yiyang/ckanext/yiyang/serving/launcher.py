"""The portal's server command, and a helper that starts it, waits for it and stops it.

``make run`` (config/bin/portal.sh start), the tests' ``live_portal`` / ``portal_factory``
(tests/conftest.py) and the benchmarks all start :func:`command`: gunicorn with the settings of
:mod:`.gunicorn_conf`, serving :func:`.wsgi.create_app`. What differs between them is only the
environment: the configuration file, the address, the number of workers and threads.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import re
import socket
import subprocess
import sys
import time
from collections.abc import Mapping

import requests

APP = "ckanext.yiyang.serving.wsgi:create_app()"
SETTINGS = "python:ckanext.yiyang.serving.gunicorn_conf"
#: What each worker writes to the error log once its application is built (wsgi.create_app).
READY = "[yiyang] worker ready"


def command() -> list[str]:
    """gunicorn's command line (the virtualenv's gunicorn, beside this Python)."""
    return [str(pathlib.Path(sys.executable).parent / "gunicorn"), "-c", SETTINGS, APP]


def environment(
    ini: str | os.PathLike[str],
    bind: str,
    workers: int | None = None,
    threads: int | None = None,
    site_url: str | None = None,
) -> dict[str, str]:
    """The variables the command reads (added to the caller's environment)."""
    env = {"CKAN_INI": str(pathlib.Path(ini).resolve()), "YIYANG_WEB_BIND": bind}
    if workers is not None:
        env["YIYANG_WEB_WORKERS"] = str(workers)
    if threads is not None:
        env["YIYANG_WEB_THREADS"] = str(threads)
    if site_url:
        # the portal's links and redirects point at itself
        env["CKAN_SITE_URL"] = site_url
    return env


def overlay_ini(
    base: str | os.PathLike[str], path: str | os.PathLike[str], options: Mapping[str, object]
) -> pathlib.Path:
    """Write ``path``: the configuration ``base`` (``use = config:``) with ``options`` over it."""
    lines = ["[app:main]", f"use = config:{pathlib.Path(base).resolve()}"]
    for key, value in options.items():
        text = str(value).lower() if isinstance(value, bool) else str(value)
        if "\n" in key or "\n" in text or "=" in key:
            raise ValueError(f"not a one-line ini option: {key!r} = {text!r}")
        lines.append(f"{key} = {text}")
    target = pathlib.Path(path)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclasses.dataclass
class Portal:
    """A running portal: gunicorn's master process and its workers."""

    base: str
    process: subprocess.Popen[bytes]
    log: pathlib.Path
    workers: int

    def ready_workers(self) -> int:
        """Workers that have built their application (a restarted one counts again)."""
        return len(re.findall(re.escape(READY), self.log.read_text(errors="replace")))

    def stop(self, timeout: float = 30) -> None:
        """TERM to the master (gunicorn's graceful stop), KILL after ``timeout`` seconds."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


class PortalFailed(RuntimeError):
    pass


def start(
    ini: str | os.PathLike[str],
    log: str | os.PathLike[str],
    *,
    workers: int = 2,
    threads: int | None = None,
    env: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    wait: float = 180,
) -> Portal:
    """Start the portal of ``ini`` on a free loopback port, its output in ``log``; return once
    every worker has built its application and the API answers. Raises :class:`PortalFailed`
    (with the log's tail) when it exits or takes longer than ``wait`` seconds."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = pathlib.Path(log)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    variables = {
        **os.environ,
        **(env or {}),
        **environment(ini, f"127.0.0.1:{port}", workers, threads, site_url=base),
    }
    with log_path.open("wb") as out:
        process = subprocess.Popen(
            command(), stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=variables
        )
    portal = Portal(base, process, log_path, workers)
    deadline = time.monotonic() + wait
    while True:
        if process.poll() is not None or time.monotonic() > deadline:
            portal.stop()
            tail = log_path.read_text(errors="replace")[-3000:]
            raise PortalFailed(f"the portal on {base} did not start ({ini}):\n{tail}")
        if portal.ready_workers() >= workers:
            try:
                if requests.get(f"{base}/api/3/action/status_show", timeout=5).ok:
                    return portal
            except requests.RequestException:
                pass
        time.sleep(0.3)
