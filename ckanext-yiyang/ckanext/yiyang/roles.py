"""Who a user is to the catalog: reviewer (the e-government office), member of a unit."""

from __future__ import annotations

from ckan import authz, model

from ckanext.yiyang import config


def is_reviewer(user_name: str | None) -> bool:
    """Sysadmins and the members of the e-government office's organization."""
    if not user_name:
        return False
    if authz.is_sysadmin(user_name):
        return True
    office = model.Group.get(config.office_org())
    if office is None:
        return False
    return authz.has_user_permission_for_group_or_org(office.id, user_name, "read")
