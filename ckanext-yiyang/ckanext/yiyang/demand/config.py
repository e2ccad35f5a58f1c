"""Typed access to the options of demands."""

from __future__ import annotations

import ckan.plugins.toolkit as tk


def answer_days() -> int:
    """Working days the providing unit (or the office, to route) has to answer a demand."""
    return tk.config["ckanext.yiyang.demand.answer_days"]


def remind_days() -> int:
    """Working days before the due date when ``send-due-reminders`` starts reminding."""
    return tk.config["ckanext.yiyang.demand.remind_days"]


def suggest_max() -> int:
    """How many existing entries the form suggests at most."""
    return tk.config["ckanext.yiyang.demand.suggest_max"]
