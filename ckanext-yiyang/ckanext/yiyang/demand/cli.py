"""``demand-reminders``: remind who must answer a demand of its approaching or passed due date.
The lead registers :func:`send_due_reminders` under the ``ckan yiyang`` group."""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
import click
from ckan import model

from ckanext.yiyang import workdays
from ckanext.yiyang.demand import config, subscriptions, workflow
from ckanext.yiyang.demand.model import Demand

DUE_SOON = "demand_due_soon"
OVERDUE = "demand_overdue"


def due_reminders(today: datetime.date | None = None) -> int:
    """Notify the answerers of every open demand due within ``remind_days`` working days, or
    overdue; a demand at most once a (Chinese) day, so the command may run more often.
    Returns how many notifications were sent."""
    from ckanext.yiyang.notify import notify

    day = today or workdays.today()
    soon = workdays.add_workdays(day, config.remind_days()).due
    sent = 0
    demands = (
        model.Session.query(Demand)
        .filter(Demand.status.in_(workflow.OPEN), Demand.due_date.isnot(None))
        .filter(Demand.due_date <= soon)
        .all()
    )
    for demand in demands:
        assert demand.due_date is not None
        if demand.reminded_on == day:
            continue
        data = workflow.dictize(demand)
        overdue = day > demand.due_date
        kind = OVERDUE if overdue else DUE_SOON
        recipients = subscriptions.answerers(data)
        title = (
            tk._("The demand {title} is overdue (due {due})")
            if overdue
            else tk._("The demand {title} is due on {due}")
        ).format(title=demand.title, due=demand.due_date.isoformat())
        rows = notify(
            recipients,
            kind=kind,
            title=title,
            body=demand.content,
            link=subscriptions.link(data),
            object_type="demand",
            object_id=demand.id,
            commit=False,
        )
        demand.reminded_on = day
        model.Session.commit()
        sent += len(rows)
    return sent


@click.command("demand-reminders", short_help="Remind units of demands due soon or overdue.")
def send_due_reminders() -> None:
    """Notify (inbox and mail) the providing units of open demands due within
    ``ckanext.yiyang.demand.remind_days`` working days, and of overdue ones; once a day."""
    count = due_reminders()
    click.echo(f"{count} reminders sent")
