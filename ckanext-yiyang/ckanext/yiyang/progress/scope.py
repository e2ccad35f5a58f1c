"""Whose rows a user sees in the progress view."""

from __future__ import annotations

from ckan import model

from ckanext.yiyang import roles


def admin_units(user_name: str | None) -> list[str]:
    """Ids of the active units (organizations) the user is an admin of."""
    user = model.User.get(user_name or "")
    if user is None:
        return []
    query = (
        model.Session.query(model.Group.id)
        .join(model.Member, model.Member.group_id == model.Group.id)
        .filter(
            model.Member.table_name == "user",
            model.Member.table_id == user.id,
            model.Member.state == "active",
            model.Member.capacity == "admin",
            model.Group.is_organization.is_(True),
            model.Group.state == "active",
        )
    )
    return [group_id for (group_id,) in query]


def visible_units(user_name: str | None) -> list[str] | None:
    """All units (None) for reviewers and sysadmins; else the ids of the user's units as an
    admin."""
    if roles.is_reviewer(user_name):
        return None
    return admin_units(user_name)
