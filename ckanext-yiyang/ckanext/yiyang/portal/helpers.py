"""Template helpers of the home page and the guide."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.yiyang.portal import guide

__all__ = ["yiyang_guide_has_screenshot", "yiyang_portal_notices", "yiyang_portal_stats"]


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


def yiyang_portal_stats() -> dict[str, Any]:
    """The home page's statistics as the current user may see them."""
    return tk.get_action("yiyang_portal_stats_show")(_context(), {})


def yiyang_portal_notices(limit: int = 5) -> dict[str, Any]:
    """The office's latest notices: ``{count, results}``."""
    return tk.get_action("yiyang_notice_list")(_context(), {"limit": limit})


def yiyang_guide_has_screenshot(name: str) -> bool:
    return guide.screenshot_path(name) is not None
