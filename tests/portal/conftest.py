"""Fixtures of the portal's tests: the kept statistics forgotten around each test (the
database is emptied between tests; the figures kept from the last one would be wrong)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_stats():
    from ckanext.yiyang.portal import stats

    stats.forget()
    yield
    stats.forget()
