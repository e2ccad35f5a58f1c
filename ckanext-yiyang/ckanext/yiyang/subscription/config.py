"""Typed access to the options of subscriptions."""

from __future__ import annotations

import ckan.plugins.toolkit as tk


def answer_days() -> int:
    """Working days the providing unit has to answer a conditional application."""
    return tk.config["ckanext.yiyang.subscription.answer_days"]


def remind_days() -> int:
    """Working days before its due date when an application is first reminded of."""
    return tk.config["ckanext.yiyang.subscription.remind_days"]


def compliance_review() -> bool:
    """Every shared application first goes through the office's compliance review."""
    return tk.config["ckanext.yiyang.subscription.compliance_review"]


def check_days() -> int:
    """Working days the office has for its compliance review."""
    return tk.config["ckanext.yiyang.subscription.check_days"]


def answer_days_with_data() -> int:
    """Working days the provider has to answer when the entry has data attached."""
    return tk.config["ckanext.yiyang.subscription.answer_days_with_data"]


def negotiate_days() -> int:
    """Working days the two units have to settle a contested refusal."""
    return tk.config["ckanext.yiyang.subscription.negotiate_days"]


def coordinate_days() -> int:
    """Working days the office has to record its binding decision."""
    return tk.config["ckanext.yiyang.subscription.coordinate_days"]


def expiring_days() -> int:
    """Working days before ``valid_until`` when a grant becomes expiring (and is reminded)."""
    return tk.config["ckanext.yiyang.subscription.expiring_days"]


def require_basis() -> bool:
    """依据, 应用场景 and 使用范围 are required of every application."""
    return tk.config["ckanext.yiyang.subscription.require_basis"]
