"""Who may read the access log: every logged-in user, each seeing what
``yiyang_access_log_list`` scopes to them. Nobody may edit it: there is no such action."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.yiyang.logic.auth import allow


def yiyang_access_log_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Logged-in users (anonymous visitors are refused by CKAN): the office (reviewers) and
    sysadmins see every read; the members of a unit (any capacity) the reads of their unit's
    data and the reads of their unit's users; anyone their own reads."""
    return allow(bool(context.get("user")), tk._("Log in to see the access log"))
