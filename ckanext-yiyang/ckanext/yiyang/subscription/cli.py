"""Commands of subscriptions, for the ``ckan yiyang`` group: CKAN has no scheduler, so a
daily cron entry (or systemd timer) runs ``ckan yiyang send-due-reminders``."""

from __future__ import annotations

import click

from ckanext.yiyang.subscription import jobs

__all__ = ["commands", "expire_subscriptions", "send_due_reminders"]


@click.command("send-due-reminders")
@click.option("--today", default=None, help="Run as on this date (YYYY-MM-DD).")
def send_due_reminders(today: str | None) -> None:
    """Expire subscriptions past their end, mark (and remind) grants that end soon, then remind the providing units (and, once it is
    overdue, the office) of applications due soon. Safe to run again the same day."""
    expired = jobs.expire_subscriptions(today)
    expiring = jobs.warn_expiring(today)
    reminded = jobs.send_due_reminders(today)
    click.echo(
        f"{expired} subscriptions expired, {expiring} expiring soon, "
        f"{reminded} applications reminded"
    )


@click.command("expire-subscriptions")
@click.option("--today", default=None, help="Run as on this date (YYYY-MM-DD).")
def expire_subscriptions(today: str | None) -> None:
    """Expire approved subscriptions whose valid_until has passed."""
    click.echo(f"{jobs.expire_subscriptions(today)} subscriptions expired")


commands = [send_due_reminders, expire_subscriptions]
