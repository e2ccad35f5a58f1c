"""A viewer's labels, read from ``roles`` instead of CKAN's organization_list_for_user: the same
labels CKAN's own ``DefaultPermissionLabels`` gives, for every capacity and for several units."""

from __future__ import annotations

import pytest
from ckan import model
from ckan.lib.plugins import DefaultPermissionLabels
from ckan.tests import factories

from ckanext.yiyang.visibility.labels import GOVERNMENT, PUBLIC, REVIEWER, Labels

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def _both(name: str) -> tuple[set[str], set[str]]:
    user = model.User.get(name)
    return set(Labels().get_user_dataset_labels(user)), set(
        DefaultPermissionLabels().get_user_dataset_labels(user)
    )


def test_a_member_of_units_holds_ckans_labels_and_government(make_unit):
    user = factories.User()
    units = [
        make_unit(users=[{"name": user["name"], "capacity": capacity}])
        for capacity in ("member", "editor", "admin")
    ]
    make_unit()  # a unit the user is no member of
    deleted = make_unit(users=[{"name": user["name"], "capacity": "admin"}])
    model.Group.get(deleted["id"]).state = "deleted"
    model.Session.commit()
    ours, ckans = _both(user["name"])
    assert ckans == {PUBLIC, f"creator-{user['id']}", *(f"member-{u['id']}" for u in units)}
    assert ours == ckans | {GOVERNMENT}


def test_a_registered_user_holds_public_and_creator_only():
    user = factories.User()
    ours, ckans = _both(user["name"])
    assert ours == ckans == {PUBLIC, f"creator-{user['id']}"}


def test_a_sysadmin_keeps_ckans_labels_of_every_unit(make_unit):
    sysadmin = factories.Sysadmin()
    unit = make_unit()
    ours, ckans = _both(sysadmin["name"])
    assert f"member-{unit['id']}" in ckans
    assert ours == ckans | {GOVERNMENT, REVIEWER}


def test_anonymous_holds_public():
    assert Labels().get_user_dataset_labels(model.AnonymousUser()) == [PUBLIC]
