"""Harvests as jobs on CKAN's job worker (``ckan jobs worker``), instead of ckanext-harvest's
gather and fetch consumers: one job per harvest run, gather then fetch and import of each
object, then the run is closed (``harvest_jobs_run``). Its progress is on the job's page
(/harvest/<source>/job/<id>: objects added, updated, withdrawn, errored so far) and in the
RQ job's ``meta`` (``done``/``total``)."""

from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search
from ckanext.harvest import queue
from ckanext.harvest.model import HarvestJob, HarvestObject

log = logging.getLogger(__name__)

#: A harvest of 10,000 entries takes minutes; RQ's default timeout is 180 s.
JOB_TIMEOUT = 6 * 3600


def enqueue(job_id: str, title: str) -> None:
    tk.enqueue_job(run_job, [job_id], title=title, rq_kwargs={"timeout": JOB_TIMEOUT})


def _progress(done: int, total: int) -> None:
    try:
        import rq

        current = rq.get_current_job()
    except Exception:  # not on a worker (a test or the command line)
        current = None
    if current is not None:
        current.meta.update(done=done, total=total)
        current.save_meta()


def run_job(job_id: str) -> dict[str, Any]:
    """Run the harvest job ``job_id`` to its end; returns its counts by report status."""
    job = HarvestJob.get(job_id)
    if job is None:
        raise ValueError(f"no harvest job {job_id}")
    if job.status != "Running":
        job.status = "Running"
        job.save()
    harvester = queue.get_harvester(job.source.type)
    if harvester is None:
        raise ValueError(f"no harvester of type {job.source.type}")
    # Each entry is indexed as it is saved, but Solr commits once at the end of the run (its
    # soft commit shows the entries within seconds) instead of after every entry: that commit
    # was more than half of an entry's import time.
    committing = tk.config.get("ckan.search.solr_commit")
    tk.config["ckan.search.solr_commit"] = False
    try:
        ids = queue.gather_stage(harvester, job) or []
        counts: dict[str, int] = {}
        for done, object_id in enumerate(ids, start=1):
            obj = HarvestObject.get(object_id)
            try:
                queue.fetch_and_import_stages(harvester, obj)
            except Exception as error:  # one record's failure never stops the run
                log.exception("harvest object %s", object_id)
                model.Session.rollback()
                obj = HarvestObject.get(object_id)
                if obj is None:
                    continue
                harvester._save_object_error(
                    tk._("The entry could not be imported: {error}").format(error=error),
                    obj,
                    "Import",
                )
                obj.state, obj.report_status = "ERROR", "errored"
                obj.save()
            counts[obj.report_status or "errored"] = (
                counts.get(obj.report_status or "errored", 0) + 1
            )
            if done % 100 == 0 or done == len(ids):
                _progress(done, len(ids))
    finally:
        tk.config["ckan.search.solr_commit"] = committing
        search.commit()
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    tk.get_action("harvest_jobs_run")(
        {"user": site_user["name"], "ignore_auth": True}, {"source_id": job.source_id}
    )
    log.info("harvest job %s: %s", job_id, counts)
    return counts
