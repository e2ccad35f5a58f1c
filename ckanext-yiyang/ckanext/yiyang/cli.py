"""``ckan yiyang …``: the extension's command line (registered by ``tk.blanket.cli``)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import click
from ckan import model

from ckanext.yiyang.book.cli import book
from ckanext.yiyang.catalog.unit_cli import load_units
from ckanext.yiyang.demand.cli import send_due_reminders as demand_reminders
from ckanext.yiyang.imports.cli import import_workbook
from ckanext.yiyang.subscription.cli import expire_subscriptions, send_due_reminders
from ckanext.yiyang.survey.cli import template

__all__ = ["yiyang"]


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
yiyang.add_command(book)
yiyang.add_command(template)
yiyang.add_command(import_workbook)
yiyang.add_command(demand_reminders)
yiyang.add_command(send_due_reminders)
yiyang.add_command(expire_subscriptions)
