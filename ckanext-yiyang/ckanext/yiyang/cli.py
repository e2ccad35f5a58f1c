"""``ckan yiyang …``: the extension's command line.

The base's commands are here; an add-on adds its own (``book``, ``template``, ``import``)
through :class:`~ckanext.yiyang.addons.IYiyangCommands`. The group CKAN registers is made
afresh each time it asks (:func:`commands`), so an add-on that is not loaded leaves no command
behind.
"""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import click
from ckan import model

from ckanext.yiyang.addons import IYiyangCommands
from ckanext.yiyang.catalog.unit_cli import load_units
from ckanext.yiyang.data.cli import data_group
from ckanext.yiyang.demand.cli import send_due_reminders as demand_reminders
from ckanext.yiyang.demo.cli import demo_group
from ckanext.yiyang.maintenance.cli import index_check_command, reindex_command
from ckanext.yiyang.notify.cli import resend_notification_mails, send_notification_digests
from ckanext.yiyang.resilience.cli import requeue_abandoned_jobs
from ckanext.yiyang.subscription.cli import expire_subscriptions, send_due_reminders

__all__ = ["commands", "yiyang"]


@click.group(short_help="益阳市政务信息资源目录 commands")
def yiyang() -> None:
    """Commands of the Yiyang catalog (ckanext-yiyang)."""


@yiyang.command("ensure-sysadmin")
@click.argument("name")
@click.option("--password", required=True, help="Password to set (created or reset).")
@click.option("--email", default=None, help="E-mail address (default: NAME@localhost).")
def ensure_sysadmin(name: str, password: str, email: str | None) -> None:
    """Create the sysadmin NAME, or reset its password and rights if it exists.

    Safe to run again: ``make run`` calls it on every start.
    """
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    context = {"user": site_user["name"], "ignore_auth": True}
    user = model.User.get(name)
    if user is None:
        tk.get_action("user_create")(
            dict(context),
            {
                "name": name,
                "password": password,
                "email": email or f"{name}@localhost",
                "fullname": name,
            },
        )
        click.echo(f"created user {name}")
    else:
        tk.get_action("user_patch")(dict(context), {"id": user.id, "password": password})
        click.echo(f"user {name} exists; password reset")
    user = model.User.get(name)
    assert user is not None
    if not user.sysadmin:
        user.sysadmin = True
        model.repo.commit()
        click.echo(f"{name} is now a sysadmin")


yiyang.add_command(load_units)
yiyang.add_command(demand_reminders)
yiyang.add_command(send_due_reminders)
yiyang.add_command(expire_subscriptions)
yiyang.add_command(send_notification_digests)
yiyang.add_command(resend_notification_mails)
yiyang.add_command(requeue_abandoned_jobs)
yiyang.add_command(demo_group)
yiyang.add_command(index_check_command)
yiyang.add_command(reindex_command)
yiyang.add_command(data_group)


def commands() -> list[click.Command]:
    """``ckan yiyang`` with the base's commands and those of the add-ons loaded now (the
    subject of the base plugin's ``tk.blanket.cli``)."""
    group = click.Group(
        yiyang.name,
        commands=dict(yiyang.commands),
        help=yiyang.help,
        short_help=yiyang.short_help,
    )
    for plugin in p.PluginImplementations(IYiyangCommands):
        for command in plugin.yiyang_commands():
            group.add_command(command)
    return [group]
