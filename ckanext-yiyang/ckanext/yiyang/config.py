"""Typed access to the extension's configuration: the one place that reads its options."""

from __future__ import annotations

import ckan.plugins.toolkit as tk


def office_org() -> str:
    """URL name of the e-government office's organization (the reviewers)."""
    return tk.config["ckanext.yiyang.office_org"]


def site_title_en() -> str:
    """The portal's title in English."""
    return tk.config["ckanext.yiyang.site_title_en"]


def site_description_en() -> str:
    """The portal's subtitle in English."""
    return tk.config["ckanext.yiyang.site_description_en"]


def review_overdue_days() -> int:
    """Working days a submission may wait for review before it is overdue."""
    return tk.config["ckanext.yiyang.review_overdue_days"]


def content_security_policy() -> str:
    """The Content-Security-Policy header of the portal's responses (empty: none)."""
    return tk.config["ckanext.yiyang.security.csp"] or ""


def login_max_attempts() -> int:
    """Failed logins per account name and address before the pair is refused (0: no limit)."""
    return tk.config["ckanext.yiyang.login.max_attempts"]


def login_window() -> int:
    """Seconds a failed login counts."""
    return tk.config["ckanext.yiyang.login.window"]


def services_rate_limit() -> int:
    """Requests per second allowed to one token of a data service account (0: no limit)."""
    return tk.config["ckanext.yiyang.services.rate_limit"]


def services_default_days() -> int:
    """Days a service account's token is valid when its creator names no expiry."""
    return tk.config["ckanext.yiyang.services.default_days"]


def services_max_days() -> int:
    """The longest validity of a service account's token, in days."""
    return tk.config["ckanext.yiyang.services.max_days"]


def data_max_load_mb() -> int:
    """The largest file (MB) loaded into the DataStore."""
    return tk.config["ckanext.yiyang.data.max_load_mb"]
