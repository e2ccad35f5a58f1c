"""Who a user is to the catalog (``roles``), per role, against the real database: anonymous,
a self-registered user, a unit's member, editor and admin, another unit's member, a reviewer
(member of the e-government office), a sysadmin.

The people are made once for the module (unique names; the office is reused if a test before
made it), and every answer is checked against CKAN's own ``authz`` where CKAN has one.
"""

from __future__ import annotations

import ckan.plugins as plugins
import pytest
from ckan import authz, model
from ckan.tests import factories, helpers

from ckanext.yiyang import config, roles

ROLES = (
    "anonymous",
    "registered",
    "member",
    "editor",
    "admin",
    "other_unit",
    "reviewer",
    "sysadmin",
)
PERMISSIONS = ("read", "update_dataset", "admin")


def _free_code(group: str) -> str:
    used = {
        g.extras.get("unit_code")
        for g in model.Session.query(model.Group).filter(model.Group.is_organization.is_(True))
        if (g.extras or {}).get("unit_group") == group
    }
    return next(f"{n:03d}" for n in range(100, 1000) if f"{n:03d}" not in used)


def _unit(**kwargs):
    return factories.Organization(unit_group="05", unit_code=_free_code("05"), **kwargs)


@pytest.fixture(scope="module")
def world(_migrated_db):
    plugins.load_all()
    try:
        users = {name: factories.User() for name in ROLES[1:-1]}
        users["sysadmin"] = factories.Sysadmin()
        unit = _unit(
            users=[
                {"name": users[c]["name"], "capacity": c} for c in ("member", "editor", "admin")
            ]
        )
        other = _unit(users=[{"name": users["other_unit"]["name"], "capacity": "member"}])
        office = model.Group.get(config.office_org())
        if office is None:
            office_id = factories.Organization(name=config.office_org(), title="市电子政务办")[
                "id"
            ]
        else:
            office_id = office.id
        helpers.call_action(
            "organization_member_create",
            {"ignore_auth": True},
            id=office_id,
            username=users["reviewer"]["name"],
            role="member",
        )
        names = {role: (users[role]["name"] if role in users else None) for role in ROLES}
        yield {"names": names, "users": users, "unit": unit, "other": other, "office": office_id}
    finally:
        plugins.unload_all()


def _name(world, role):
    return world["names"][role]


@pytest.mark.parametrize("role", ROLES)
def test_units_of(world, role):
    unit, other, office = world["unit"]["id"], world["other"]["id"], world["office"]
    expected = {
        "member": [unit],
        "editor": [unit],
        "admin": [unit],
        "other_unit": [other],
        "reviewer": [office],
    }.get(role, [])
    name = _name(world, role)
    assert roles.units_of(name) == expected
    assert roles.units_of(name, "read") == expected
    assert roles.units_of(name, "update_dataset") == (
        expected if role in ("editor", "admin") else []
    )
    assert roles.units_of(name, "admin") == (expected if role == "admin" else [])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("permission", PERMISSIONS)
def test_can_agrees_with_ckan(world, role, permission):
    name = _name(world, role)
    for unit in (world["unit"], world["other"]):
        for ident in (unit["id"], unit["name"]):
            assert roles.can(name, ident, permission) is bool(
                authz.has_user_permission_for_group_or_org(ident, name, permission)
            ), (role, permission, unit["name"])
    assert roles.can(name, None, permission) is False
    assert roles.can(name, "no-such-unit", permission) is False


@pytest.mark.parametrize("role", ROLES)
def test_can_in_the_unit(world, role):
    name, unit = _name(world, role), world["unit"]["id"]
    assert roles.can(name, unit, "read") is (role in ("member", "editor", "admin", "sysadmin"))
    assert roles.can(name, unit, "update_dataset") is (role in ("editor", "admin", "sysadmin"))
    assert roles.can(name, unit, "admin") is (role in ("admin", "sysadmin"))


@pytest.mark.parametrize("role", ROLES)
def test_reviewer_government_sysadmin(world, role):
    name = _name(world, role)
    assert roles.is_reviewer(name) is (role in ("reviewer", "sysadmin"))
    assert roles.is_government(name) is (role not in ("anonymous", "registered"))
    assert roles.is_sysadmin(name) is (role == "sysadmin")
    assert roles.is_government(name) is (
        authz.has_user_permission_for_some_org(name, "read") if name else False
    )


def test_members_and_reviewers(world):
    users, unit = world["users"], world["unit"]["id"]
    deciders = roles.members(unit, ("editor", "admin"))
    # (the unit's creator is one of its admins too)
    assert {users["editor"]["id"], users["admin"]["id"]} <= set(deciders)
    assert users["member"]["id"] not in deciders
    assert roles.members(unit, ("member",)) == [users["member"]["id"]]
    assert set(roles.members(unit)) == set(deciders) | {users["member"]["id"]}
    assert roles.members(None, ("admin",)) == []
    assert users["reviewer"]["id"] in roles.reviewers()
    assert users["sysadmin"]["id"] not in roles.reviewers()


def test_a_user_named_by_id_is_the_same_person(world):
    admin = world["users"]["admin"]
    assert roles.units_of(admin["id"]) == roles.units_of(admin["name"]) == [world["unit"]["id"]]


def test_nothing_is_kept_outside_a_request(world):
    name = _name(world, "member")
    assert roles.person(name) is not roles.person(name)


def test_kept_for_the_request_and_never_stale(world, app):
    """Within one request the answers are kept, and a membership written in that request —
    added, changed, removed, or rolled back — is seen by the next question."""
    name = world["names"]["registered"]
    admin = {"user": world["names"]["sysadmin"]}
    other = world["other"]["id"]
    with app.flask_app.test_request_context():
        assert roles.person(name) is roles.person(name)
        assert not roles.is_government(name)

        helpers.call_action(
            "organization_member_create",
            admin,
            id=other,
            username=name,
            role="member",
        )
        assert roles.is_government(name)
        assert roles.can(name, other, "read") and not roles.can(name, other, "update_dataset")

        helpers.call_action(
            "organization_member_create",
            admin,
            id=other,
            username=name,
            role="editor",
        )
        assert roles.can(name, other, "update_dataset")

        helpers.call_action("organization_member_delete", admin, id=other, username=name)
        assert not roles.is_government(name)
        assert roles.units_of(name) == []

        user = model.User.get(name)
        model.Session.add(
            model.Member(
                table_name="user",
                table_id=user.id,
                group=model.Group.get(other),
                capacity="admin",
                state="active",
            )
        )
        model.Session.flush()
        assert roles.can(name, other, "admin")
        model.Session.rollback()
        assert not roles.can(name, other, "admin")


def test_a_deleted_unit_gives_nobody_a_role(world):
    users = {name: factories.User() for name in ("member", "other")}
    doomed = _unit(users=[{"name": users["member"]["name"], "capacity": "admin"}])
    assert roles.units_of(users["member"]["name"]) == [doomed["id"]]
    helpers.call_action(
        "organization_delete", {"user": world["names"]["sysadmin"]}, id=doomed["id"]
    )
    assert roles.units_of(users["member"]["name"]) == []
    assert not roles.is_government(users["member"]["name"])
    assert not roles.can(users["member"]["name"], doomed["id"], "read")
