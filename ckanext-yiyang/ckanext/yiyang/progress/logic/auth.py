"""Who sees the progress view (督促检查, catalog-model §10), and who sets its phases."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.yiyang import roles
from ckanext.yiyang.logic.auth import allow


def yiyang_progress_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Reviewers (members of the e-government office) and sysadmins: every unit. A unit's
    admins (分管负责人, answerable for the unit's part): their own unit's row only. Editors,
    members and anonymous visitors: no."""
    user = context.get("user")
    return allow(
        roles.is_reviewer(user) or bool(roles.units_of(user, "admin")),
        tk._("Only the e-government office and the units' admins see the progress view"),
    )


def yiyang_progress_phase_update(context: Context, data_dict: DataDict) -> AuthResult:
    """The e-government office (its members) and sysadmins: they set the round's schedule."""
    return allow(
        roles.is_reviewer(context.get("user")),
        tk._("Only the e-government office sets the phases of the round"),
    )
