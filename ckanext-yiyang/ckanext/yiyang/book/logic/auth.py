"""Who may generate and download the catalog book."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict

from ckanext.yiyang import roles
from ckanext.yiyang.logic.auth import allow
from ckanext.yiyang.visibility import viewer

__all__ = ["yiyang_book_generate", "yiyang_book_list", "yiyang_book_show"]


def yiyang_book_generate(context: Context, data_dict: DataDict) -> AuthResult:
    """Reviewers (members of the e-government office) and sysadmins."""
    return allow(
        roles.is_reviewer(context.get("user")),
        tk._("Only the e-government office generates the book"),
    )


@tk.auth_allow_anonymous_access
def yiyang_book_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone: each sees the editions they may download (and reviewers the jobs)."""
    return {"success": True}


@tk.auth_allow_anonymous_access
def yiyang_book_show(context: Context, data_dict: DataDict) -> AuthResult:
    """The public edition: anyone. The internal edition: government users (members of any
    unit), reviewers and sysadmins — who see every entry it holds on the portal anyway."""
    return allow(
        data_dict.get("edition") == "public" or viewer.is_government(context.get("user")),
        tk._("The internal edition is for the members of the units only"),
    )
