"""The access log's figures for the progress view."""

from __future__ import annotations

import datetime

import sqlalchemy as sa

from ckanext.yiyang.audit import config
from ckanext.yiyang.audit.model import SERVED, access_log


def reads_by_unit(org_ids: list[str]) -> sa.Select[tuple[str, int]]:
    """(unit, reads) of the units among ``org_ids`` whose data was served in the last
    ``ckanext.yiyang.audit.progress_days`` days."""
    since = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(
        days=config.progress_days()
    )
    log = access_log
    return (
        sa.select(log.c.dataset_org, sa.func.count())
        .where(log.c.dataset_org.in_(org_ids), log.c.outcome == SERVED, log.c.at >= since)
        .group_by(log.c.dataset_org)
    )
