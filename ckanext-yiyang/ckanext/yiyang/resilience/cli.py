"""``ckan yiyang requeue-abandoned-jobs``: the jobs of a worker that died, or that failed with a
service outage, run again."""

from __future__ import annotations

import click

from ckanext.yiyang.resilience import jobs

__all__ = ["requeue_abandoned_jobs"]


@click.command("requeue-abandoned-jobs")
def requeue_abandoned_jobs() -> None:
    """Enqueue again the jobs whose worker was killed or died while running them (RQ would
    otherwise drop them as failed), and those that failed because the database, Redis or Solr
    was down. Safe at any time: a job with a live worker is left alone. Run it once the
    services are back; `portal.sh start` runs it before starting the worker."""
    again = jobs.requeue_abandoned()
    click.echo(f"{len(again)} jobs enqueued again")
    for job_id in again:
        click.echo(f"  {job_id}")
