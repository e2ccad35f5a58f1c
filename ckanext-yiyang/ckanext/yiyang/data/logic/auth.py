"""Who may read the state of an entry's data and act on it."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.yiyang import roles


def _owner(data_dict: DataDict, resource: bool = False) -> str | None:
    if resource:
        found = model.Resource.get(str(data_dict.get("resource_id") or ""))
        package = found.package if found is not None else None
    else:
        package = model.Package.get(str(data_dict.get("id") or ""))
    return package.owner_org if package is not None else None


def yiyang_data_status_show(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever may see the entry (``package_show``)."""
    try:
        tk.check_access("package_show", context, {"id": data_dict.get("id")})
    except tk.NotAuthorized:
        return {"success": False, "msg": tk._("Not authorized to see this entry")}
    return {"success": True}


def yiyang_data_consistency_show(context: Context, data_dict: DataDict) -> AuthResult:
    """The entry's unit (any member), the reviewers (the e-government office) and sysadmins."""
    user = context.get("user")
    unit = _owner(data_dict)
    if roles.is_reviewer(user) or roles.can(user, unit, "read"):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the entry's unit and the reviewers see this")}


def yiyang_data_items_adopt(context: Context, data_dict: DataDict) -> AuthResult:
    """Who may edit the entry: the unit's editors and admins (and sysadmins)."""
    unit = _owner(data_dict, resource=True)
    if roles.can(context.get("user"), unit, "update_dataset"):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the unit's editors may change its data items")}


def yiyang_data_load(context: Context, data_dict: DataDict) -> AuthResult:
    """The unit's editors and admins (and sysadmins)."""
    unit = _owner(data_dict, resource=True)
    if roles.can(context.get("user"), unit, "update_dataset"):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the unit's editors may load its data")}
