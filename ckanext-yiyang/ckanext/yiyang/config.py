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
