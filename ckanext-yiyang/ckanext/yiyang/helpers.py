"""Template helpers (registered by ``tk.blanket.helpers``: every name in ``__all__``)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib import formatters

from ckanext.yiyang import config

__all__ = [
    "render_datetime",
    "yiyang_main_nav",
    "yiyang_may_change_unit_official_fields",
    "yiyang_site_description",
    "yiyang_site_title",
]

# CKAN formats a date with its time by an English pattern ("MMMM d, YYYY, HH:mm (z)") whatever
# the language; Chinese readers expect 2026年11月25日 09:30.
_ZH_WITH_HOURS = "y年M月d日 HH:mm"


def yiyang_site_title() -> str:
    """The portal's title in the language of the current request."""
    if tk.h.lang() == "en":
        return config.site_title_en()
    return tk.config["ckan.site_title"]


def yiyang_site_description() -> str:
    """The portal's subtitle in the language of the current request."""
    if tk.h.lang() == "en":
        return config.site_description_en()
    return tk.config.get("ckan.site_description") or ""


def yiyang_may_change_unit_official_fields() -> bool:
    """Whether the unit form lets the current user change a unit's name and codes."""
    from ckanext.yiyang.catalog.logic import unit_validators

    return unit_validators.may_change_official_fields(tk.current_user.name or None)


def _may(action: str) -> bool:
    try:
        tk.check_access(action, {"user": tk.current_user.name}, {})
    except tk.NotAuthorized:
        return False
    return True


# (plugin, endpoint, label, who sees the item: an auth function, or None = any logged-in user).
# The base's own items carry its name; an add-on's item shows only while the add-on is loaded.
_NAV: list[tuple[str, str, str, str | None]] = [
    ("yiyang", "yiyang_subscription.index", "Subscriptions", None),
    ("yiyang", "yiyang_demand.index", "Demands", None),
    ("yiyang_survey", "yiyang_survey.index", "Survey forms", None),
    ("yiyang", "yiyang_review.queue", "Review queue", "yiyang_review_list"),
    ("yiyang_progress", "yiyang_progress.index", "Progress", "yiyang_progress_list"),
    ("yiyang_book", "yiyang_book.index", "Catalog book", None),
]


def yiyang_main_nav() -> list[tuple[str, str]]:
    """The main navigation's items after 信息资源 and 单位: the features (the base's and the
    add-ons' that are loaded) the logged-in user may use (for ``h.build_nav_main``)."""
    if not tk.current_user.is_authenticated:
        return []
    return [
        (endpoint, tk._(label))
        for plugin, endpoint, label, action in _NAV
        if p.plugin_loaded(plugin) and (action is None or _may(action))
    ]


def _chinese() -> bool:
    lang = tk.h.lang() or tk.config["ckan.locale_default"]
    return lang.startswith("zh")


@tk.chained_helper
def render_datetime(
    next_helper: Callable[..., str],
    datetime_: datetime.datetime | str | None,
    date_format: str | None = None,
    with_hours: bool = False,
    with_seconds: bool = False,
) -> str:
    """CKAN's ``render_datetime``, with a Chinese pattern for a date with its time."""
    if with_hours and not date_format and not with_seconds and _chinese():
        value: Any = (
            tk.h.date_str_to_datetime(datetime_) if isinstance(datetime_, str) else datetime_
        )
        if isinstance(value, datetime.datetime):
            return formatters.localised_nice_date(
                value, show_date=True, with_hours=True, format=_ZH_WITH_HOURS
            )
    return next_helper(datetime_, date_format, with_hours, with_seconds)
