"""``ckan yiyang demo load|reset``: the demo catalog (see :mod:`ckanext.yiyang.demo.load`)."""

from __future__ import annotations

import click

from ckanext.yiyang.demo import catalog
from ckanext.yiyang.demo import load as demo

__all__ = ["demo_group"]

_PASSWORD = click.option(
    "--password",
    default=catalog.PASSWORD,
    show_default=True,
    help="Password of the demo accounts (demo-<unit>-editor, demo-<unit>-admin, "
    "demo-office-reviewer).",
)


@click.group("demo", short_help="Load or reset the demo catalog.")
def demo_group() -> None:
    """The demo catalog: entries of ten of the city's units in every review state, with their
    信息项 and sample data, applications, demands and the office's notices."""


@demo_group.command("load")
@_PASSWORD
def load(password: str) -> None:
    """Load the demo catalog; what is there already stays as it is (safe to run again)."""
    try:
        summary = demo.load(password)
    except demo.DemoError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"demo: {summary.line()}")


@demo_group.command("reset")
@_PASSWORD
def reset(password: str) -> None:
    """Remove what the demo made and load it again: the demo as it was."""
    try:
        summary = demo.reset(password)
    except demo.DemoError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"demo reset: {summary.line()}")
