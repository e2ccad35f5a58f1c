"""Jobs lost to a dead worker or a service outage are run again (issue 17.1).

RQ keeps a job that a worker was running in the queue's started registry; when the worker is
killed the job stays there until its timeout has passed, and is then moved to the failed ones:
lost. A job that met the database restarting (or Redis, or Solr, unreachable) fails too.
:func:`requeue_abandoned` finds the jobs whose worker is gone — its record expired, or a
process of this host that no longer exists — and the failed ones that RQ abandoned or whose
error was a service outage (at most :data:`MAX_REQUEUES` times), and enqueues each again, marked in its ``meta`` (``yiyang_requeued``: how often) so that a job that
claims its work by state (an import: ``queued`` → ``importing``) may claim it again. Every job of
the platform is written to be run twice without doing its work twice (a claim, a conditional
UPDATE, or a transaction the killed run never committed).

``ckan yiyang requeue-abandoned-jobs`` runs it; ``portal.sh start`` runs it before the worker.
"""

from __future__ import annotations

import logging
import os
import socket

import rq
from ckan.lib import jobs as ckan_jobs
from redis import Redis
from rq.job import Job
from rq.registry import FailedJobRegistry, StartedJobRegistry

log = logging.getLogger(__name__)

REQUEUED = "yiyang_requeued"
#: A job is enqueued again at most this often (one that keeps failing stays failed).
MAX_REQUEUES = 3
_ABANDONED = "AbandonedJobError"
#: What a failed job's traceback says when a service of the stack was down (the database
#: restarted, Redis or Solr unreachable): worth running again once they are back.
_OUTAGES = (
    "OperationalError",
    "psycopg2.InterfaceError",
    "redis.exceptions.ConnectionError",
    "redis.exceptions.TimeoutError",
    "SolrConnectionError",
    "Failed to connect to server",
)


def requeued() -> int:
    """How often the current job was enqueued again (0 outside a job, or a first run)."""
    job = rq.get_current_job()
    return int((job.meta or {}).get(REQUEUED, 0)) if job is not None else 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _worker_gone(job: Job, connection: Redis) -> bool:
    name = job.worker_name
    if not name:
        return False  # not yet taken by a worker
    worker = rq.Worker.find_by_key(rq.Worker.redis_worker_namespace_prefix + name, connection)
    if worker is None:
        return True  # its record expired: it has not beaten for longer than its TTL
    if worker.hostname == socket.gethostname() and worker.pid:
        return not _alive(int(worker.pid))
    return False  # another host's live worker: not ours to judge


def _lost(job: Job) -> bool:
    """A failed job that died with its worker or with a service."""
    failure = str(job.exc_info or "")
    return _ABANDONED in failure or any(mark in failure for mark in _OUTAGES)


def _again(queue: rq.Queue, job: Job) -> None:
    job.meta[REQUEUED] = int(job.meta.get(REQUEUED, 0)) + 1
    job.save_meta()
    queue.enqueue_job(job)
    log.warning("job %s (%s) enqueued again", job.id, job.description)


def requeue_abandoned() -> list[str]:
    """Enqueue again every job of the platform's queues whose worker is gone, or that failed
    because a service was down; their ids."""
    again: list[str] = []
    for queue in ckan_jobs.get_all_queues():
        connection = queue.connection
        started = StartedJobRegistry(queue=queue)
        for job_id in started.get_job_ids():
            job = Job.fetch(job_id, connection=connection)
            if _worker_gone(job, connection):
                started.remove_executions(job)
                _again(queue, job)
                again.append(job.id)
        failed = FailedJobRegistry(queue=queue)
        for job_id in failed.get_job_ids():
            job = Job.fetch(job_id, connection=connection)
            if _lost(job) and int(job.meta.get(REQUEUED, 0)) < MAX_REQUEUES:
                failed.remove(job)
                _again(queue, job)
                again.append(job.id)
    return again
