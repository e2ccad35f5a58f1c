"""Typed access to the options of subscriptions."""

from __future__ import annotations

import ckan.plugins.toolkit as tk


def answer_days() -> int:
    """Working days the providing unit has to answer a conditional application."""
    return tk.config["ckanext.yiyang.subscription.answer_days"]


def remind_days() -> int:
    """Working days before its due date when an application is first reminded of."""
    return tk.config["ckanext.yiyang.subscription.remind_days"]
