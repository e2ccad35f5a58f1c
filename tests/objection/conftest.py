"""People and an entry of the objection tests: the providing unit (member, editor, admin) and
its published entry, another unit's user (the raiser), a third unit's editor, the office."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.yiyang import config


@pytest.fixture
def people(make_unit, entry_factory):
    names = ("raiser", "member", "editor", "admin", "outsider", "reviewer", "registered")
    users = {n: factories.User(email=f"{n}@yiyang.test") for n in names}
    raiser_unit = make_unit(
        title="市教育局", users=[{"name": users["raiser"]["name"], "capacity": "member"}]
    )
    provider_unit = make_unit(
        title="市公安局",
        users=[{"name": users[r]["name"], "capacity": r} for r in ("member", "editor", "admin")],
    )
    third_unit = make_unit(
        title="市统计局", users=[{"name": users["outsider"]["name"], "capacity": "editor"}]
    )
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": users["reviewer"]["name"], "capacity": "member"}],
    )
    users["sysadmin"] = factories.Sysadmin()
    entry = entry_factory(
        provider_unit["id"], published=True, title="户籍人口信息", disclosure_scope="public"
    )
    return {
        "raiser_unit": raiser_unit,
        "provider_unit": provider_unit,
        "third_unit": third_unit,
        "entry": entry,
        **users,
    }


def act(action, user, **data):
    """``yiyang_objection_<action>`` as ``user`` (None: anonymous), its auth checked."""
    return tk.get_action(f"yiyang_objection_{action}")(
        {"user": user["name"] if user else None}, data
    )


@pytest.fixture
def raise_objection(people):
    def make(**overrides):
        data = {
            "dataset_id": people["entry"]["id"],
            "kind": "data_error",
            "description": "户籍地址与实际不符",
            **overrides,
        }
        return act("create", people["raiser"], **data)

    return make


def revision_of(people):
    """An id that names a change of the entry: one of its review steps."""
    from ckan import model

    from ckanext.yiyang.review.model import ReviewEvent

    row = (
        model.Session.query(ReviewEvent)
        .filter_by(package_id=people["entry"]["id"])
        .order_by(ReviewEvent.created.desc())
        .first()
    )
    return row.id
