"""Who may use the catalog's actions."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.yiyang import roles
from ckanext.yiyang.logic.auth import allow


@tk.auth_allow_anonymous_access
def yiyang_category_tree(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone, anonymous visitors included: the trees are public navigation."""
    return {"success": True}


def yiyang_category_create(context: Context, data_dict: DataDict) -> AuthResult:
    """Reviewers (members of the e-government office) and sysadmins."""
    return allow(
        roles.is_reviewer(context.get("user")),
        tk._("Only the e-government office can add categories"),
    )
