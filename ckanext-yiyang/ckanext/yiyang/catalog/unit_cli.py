"""``ckan yiyang load-units``: the units of 附件1 and the e-government office."""

from __future__ import annotations

import click

from ckanext.yiyang.catalog import units

__all__ = ["load_units"]


@click.command("load-units", short_help="Create or update the units of 附件1 and the office.")
@click.option("-v", "--verbose", is_flag=True, help="List the units created and updated by name.")
def load_units(verbose: bool) -> None:
    """Create the organizations of the 88 units of 附件1 and of the e-government office.

    Safe to run again: existing units keep what they filled in themselves; only their title,
    unit group and unit code are brought back to the notice's when they differ.
    """
    summary = units.load_units()
    click.echo(
        f"units: {len(summary.created)} created, {len(summary.updated)} updated, "
        f"{len(summary.unchanged)} unchanged"
        + (f", {len(summary.skipped)} deleted and left so" if summary.skipped else "")
    )
    if verbose or summary.updated or summary.skipped:
        for label, names in (
            ("created", summary.created if verbose else []),
            ("updated", summary.updated),
            ("left deleted", summary.skipped),
        ):
            for name in names:
                click.echo(f"  {label}: {name}")
    if not summary.changed:
        click.echo("nothing to change")
