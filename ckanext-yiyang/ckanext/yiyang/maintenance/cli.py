"""``ckan yiyang index-check [--repair]``."""

from __future__ import annotations

import sys

import click
import pysolr
import requests
import sqlalchemy as sa
from ckan.lib.search.common import SearchError

from ckanext.yiyang.maintenance import index_check, reindex

__all__ = ["index_check_command", "reindex_command"]


def _check() -> index_check.Report:
    """The check, or exit 2 with what failed when the index or the database does not answer."""
    try:
        return index_check.check()
    except (pysolr.SolrError, SearchError, OSError, requests.RequestException) as error:
        click.echo(f"无法读取搜索索引 / the search index could not be read: {error}", err=True)
        sys.exit(2)
    except sa.exc.SQLAlchemyError as error:
        click.echo(f"无法读取数据库 / the database could not be read: {error}", err=True)
        sys.exit(2)


@click.command("index-check")
@click.option(
    "--repair", is_flag=True, help="Reindex what differs, drop stale documents, check again."
)
@click.option("--limit", default=10, show_default=True, help="Ids listed per kind of difference.")
def index_check_command(repair: bool, limit: int) -> None:
    """Compare the database and the search index of every entry (ids, states, review states,
    modified times, permission labels, owner units); exit 1 when they differ, 2 when the index
    or the database could not be read.

    Run it after a restore, after a Solr outage, and nightly.
    """
    report = _check()
    for line in report.lines(limit):
        click.echo(line)
    if report.ok or not repair:
        sys.exit(0 if report.ok else 1)
    reindexed, deleted = index_check.repair(report)
    click.echo(f"已重建索引 / reindexed: {reindexed}; 已删除文档 / documents deleted: {deleted}")
    report = _check()
    click.echo("修复后再次检查 / checked again after the repair:")
    for line in report.lines(limit):
        click.echo(line)
    sys.exit(0 if report.ok else 1)


@click.command("reindex")
@click.option("--workers", default=2, show_default=True, help="Processes (one per core).")
@click.option("--batch", default=500, show_default=True, help="Documents per Solr request.")
@click.option("--refresh", is_flag=True, help="Do not clear the index first.")
def reindex_command(workers: int, batch: int, refresh: bool) -> None:
    """Rebuild the search index of every entry on ``--workers`` processes, ``--batch``
    documents a Solr request, one Solr commit at the end (``ckan search-index rebuild`` does
    one entry a request on one core). Exit 1 when an entry could not be indexed.
    """
    indexed, failed = reindex.reindex(workers=workers, batch=batch, refresh=refresh)
    click.echo(f"已重建索引 / reindexed: {indexed}")
    if failed:
        click.echo(f"未能索引 / not indexed: {len(failed)}: {' '.join(failed[:10])}", err=True)
        sys.exit(1)
