"""gunicorn's settings for the portal (``gunicorn -c python:ckanext.yiyang.serving.gunicorn_conf``),
from the environment:

==========================  ====================================================  =============
variable                    what                                                  default
==========================  ====================================================  =============
``YIYANG_WEB_BIND``         address and port                                      127.0.0.1:5000
``YIYANG_WEB_WORKERS``      worker processes (each a whole CKAN)                  2
``YIYANG_WEB_THREADS``      threads per worker (requests each serves at once)     4
``YIYANG_WEB_TIMEOUT``      seconds a worker may stay silent before it is         120
                            restarted
``YIYANG_WEB_ACCESS_LOG``   file of the access log (``-``: standard output)       none
==========================  ====================================================  =============

The error log (start, stop, worker restarts, CKAN's own log lines) goes to standard error:
``make run`` sends it to var/log/portal.log.
"""

from __future__ import annotations

import os


def _count(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r}: a whole number is wanted") from None
    if value < 1:
        raise SystemExit(f"{name}={raw!r}: at least 1")
    return value


bind = os.environ.get("YIYANG_WEB_BIND", "").strip() or "127.0.0.1:5000"
workers = _count("YIYANG_WEB_WORKERS", 2)
threads = _count("YIYANG_WEB_THREADS", 4)
# gthread: a worker answers its threads' requests while its main thread keeps the heartbeat, so
# a long request (an export, a large import) is not mistaken for a stuck worker.
worker_class = "gthread"
timeout = _count("YIYANG_WEB_TIMEOUT", 120)
graceful_timeout = 10
keepalive = 5
proc_name = "yiyang-portal"
accesslog = os.environ.get("YIYANG_WEB_ACCESS_LOG") or None
errorlog = "-"
loglevel = "info"
# gunicorn's control socket (gunicornc) would be ~/.gunicorn/gunicorn.ctl, one path for every
# portal on the machine (make run's, the tests', the benchmarks'): none is needed.
control_socket_disable = True
