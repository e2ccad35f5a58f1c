"""Template helpers of the access log."""

from __future__ import annotations

from ckanext.yiyang.audit.export import china_time


def yiyang_access_log_time(at: str) -> str:
    """A read's moment (ISO, UTC) as China's wall-clock time."""
    return china_time(at)
