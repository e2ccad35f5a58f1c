"""The columns of the progress table and of its Excel export, with their labels."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.yiyang.audit import config as audit_config
from ckanext.yiyang.catalog import schema as catalog_schema
from ckanext.yiyang.progress.figures import STATES


def count_labels() -> dict[str, str]:
    """Labels of the counts of a unit's row, in the request's language and the table's order."""
    _ = tk._
    labels = {"entries": _("Entries registered")}
    labels.update({state: catalog_schema.label("review_status", state) for state in STATES})
    labels.update(
        {
            "changes_submitted": _("Changes waiting for review"),
            "review_overdue": _("Overdue in review"),
            "demands_pending": _("Demands to answer"),
            "demands_overdue": _("Demands overdue"),
            "demands_filed": _("Demands filed, open"),
            "applications_pending": _("Applications to decide"),
            "applications_overdue": _("Applications overdue"),
            "applications_received": _("Applications received"),
            "applications_answered_on_time": _("Applications answered on time"),
            "applications_answer_days": _("Median answer time (working days)"),
            "grants_active": _("Grants active"),
            "grants_expiring": _("Grants expiring"),
            "data_reads": _("Reads of its data ({days} days)").format(
                days=audit_config.progress_days()
            ),
            "objections_open": _("Objections open"),
            "objections_overdue": _("Objections overdue"),
            "objections_closed_on_time": _("Objections closed on time"),
            "rating_average": _("Average usage rating"),
            "data_entries": _("Entries with data"),
            "data_differs": _("Entries whose data disagrees with the catalog"),
        }
    )
    return labels


def column_labels() -> dict[str, str]:
    """Every sortable column: the unit, the counts, the last activity, the schedule."""
    _ = tk._
    return {
        "title": _("Unit"),
        **count_labels(),
        "last_activity": _("Last activity"),
        "behind": _("Schedule"),
    }
