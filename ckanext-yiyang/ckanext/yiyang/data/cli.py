"""``ckan yiyang data …``: the data attached to entries."""

from __future__ import annotations

import click


@click.group("data", short_help="Data attached to entries (DataStore loads, services)")
def data_group() -> None:
    """The data attached to entries."""


@data_group.command("check-services")
@click.option("--now", is_flag=True, help="Check here, one after the other, not by the worker.")
def check_services(now: bool) -> None:
    """Check every data service's address (status code, latency): for cron."""
    from ckanext.yiyang.data import service

    found = service.all_services()
    for resource in found:
        if now:
            result = service.check_service(resource["id"])
            click.echo(f"{resource['id']} {result['status']} {result['latency_ms']}ms")
        else:
            service.enqueue(resource)
    click.echo(f"{len(found)} services {'checked' if now else 'queued'}")


@data_group.command("load")
@click.argument("resource_id")
def load_one(resource_id: str) -> None:
    """Load one resource's file into the DataStore here (not by the worker)."""
    from ckanext.yiyang.data import load

    click.echo(load.load_resource(resource_id))
