"""Typed access to the options of objections and feedback."""

from __future__ import annotations

import ckan.plugins.toolkit as tk


def accept_days() -> int:
    """Working days the office has to accept (受理) and forward an objection."""
    return tk.config["ckanext.yiyang.objection.accept_days"]


def verify_days() -> int:
    """Working days the providing unit has to verify an accepted objection."""
    return tk.config["ckanext.yiyang.objection.verify_days"]


def extended_days() -> int:
    """Working days to verify, counted from the acceptance, once extended."""
    return tk.config["ckanext.yiyang.objection.extended_days"]


def feedback_after_days() -> int:
    """Working days after a grant when the desk asks the applicant for feedback."""
    return tk.config["ckanext.yiyang.feedback.ask_after_days"]


def attachment_max_mb() -> int:
    """The largest attachment of an objection, in MB."""
    return tk.config["ckanext.yiyang.objection.attachment_max_mb"]


def attachment_types() -> list[str]:
    """The extensions an objection's attachment may have (lower case, no dot)."""
    return [t.lower().lstrip(".") for t in tk.config["ckanext.yiyang.objection.attachment_types"]]
