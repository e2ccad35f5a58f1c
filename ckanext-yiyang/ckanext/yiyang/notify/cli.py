"""``ckan yiyang send-notification-digests``: the daily digest of notifications. CKAN has no
scheduler; a daily cron entry runs it, e.g. at 08:00 China time::

    0 8 * * * ckan -c /etc/ckan/ckan.ini yiyang send-notification-digests

``ckan yiyang resend-notification-mails``: the mails whose job was lost, enqueued again.
"""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
import click

from ckanext.yiyang.notify import config, digest, mail

__all__ = ["resend_notification_mails", "send_notification_digests"]


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


@click.command("resend-notification-mails")
@click.option(
    "--minutes",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="Only mails unsent for at least this long (younger ones may still be on their way).",
)
def resend_notification_mails(minutes: int) -> None:
    """Enqueue again the e-mails of notifications that were never sent: their job was lost
    (the queue was down when it was enqueued, or a worker was killed while sending). Run it
    after Redis or the worker comes back; `portal.sh start` runs it before the worker starts.
    Nobody gets a mail twice."""
    count = mail.resend(datetime.timedelta(minutes=minutes))
    click.echo(f"{count} notification mails enqueued again")
