"""Template helpers of the access log."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.yiyang import roles
from ckanext.yiyang.audit.export import china_time


def yiyang_access_log_time(at: str) -> str:
    """A read's moment (ISO, UTC) as China's wall-clock time."""
    return china_time(at)


def yiyang_access_log_of_unit(unit_id: str) -> bool:
    """Whether the current user sees the log of the unit's data (links to it): its members,
    the office, sysadmins."""
    if not tk.current_user.is_authenticated:
        return False
    user = tk.current_user.name
    return roles.is_reviewer(user) or unit_id in roles.units_of(user)
