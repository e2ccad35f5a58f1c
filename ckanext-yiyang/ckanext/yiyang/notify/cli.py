"""``ckan yiyang send-notification-digests``: the daily digest of notifications. CKAN has no
scheduler; a daily cron entry runs it, e.g. at 08:00 China time::

    0 8 * * * ckan -c /etc/ckan/ckan.ini yiyang send-notification-digests
"""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import click

from ckanext.yiyang.notify import config, digest

__all__ = ["send_notification_digests"]


@click.command("send-notification-digests")
@click.option(
    "--enqueue",
    is_flag=True,
    help="Hand the digests to the background worker (`ckan jobs worker`) instead.",
)
def send_notification_digests(enqueue: bool) -> None:
    """Mail each user who chose the daily digest everything since their last one. Safe to
    run again: nobody gets a notification twice."""
    if enqueue:
        job = tk.enqueue_job(
            digest.send_digests, title="yiyang notification digests", queue=config.queue()
        )
        click.echo(f"digests enqueued as job {job.id}")
        return
    counts = digest.send_digests()
    click.echo(
        "{sent} digests sent, {nothing} users with nothing new, {no_email} without e-mail "
        "address, {failed} failed".format(**counts)
    )
