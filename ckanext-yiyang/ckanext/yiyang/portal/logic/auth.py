"""Who may read the home page's figures and the notices, and who may publish a notice."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.yiyang import roles
from ckanext.yiyang.logic.auth import allow


@tk.auth_allow_anonymous_access
def yiyang_portal_stats_show(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone, anonymous visitors included: the figures count only what the viewer may see."""
    return {"success": True}


@tk.auth_allow_anonymous_access
def yiyang_notice_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone: the office's notices are public."""
    return {"success": True}


def yiyang_notice_create(context: Context, data_dict: DataDict) -> AuthResult:
    """The e-government office (its members) and sysadmins."""
    return allow(
        roles.is_reviewer(context.get("user")),
        tk._("Only the e-government office publishes notices"),
    )


def yiyang_notice_delete(context: Context, data_dict: DataDict) -> AuthResult:
    """The e-government office (its members) and sysadmins."""
    return allow(
        roles.is_reviewer(context.get("user")),
        tk._("Only the e-government office deletes notices"),
    )
