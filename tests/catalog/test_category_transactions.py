"""A new level of the catalog classification commits as CKAN's actions do: not with
``defer_commit`` (a rollback leaves no trace, in the database or this process's copy), else at
once."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories

from ckanext.yiyang.catalog import categories
from ckanext.yiyang.model import CategoryLevel

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


@pytest.mark.parametrize("defer", [True, False])
def test_category_create(defer):
    sysadmin = factories.Sysadmin()
    node = tk.get_action("yiyang_category_create")(
        {"user": sysadmin["name"], "defer_commit": defer},
        {"parent": "302011", "code": "01", "title": "测试细目"},
    )
    assert node["code"] == "30201101" and categories.get("30201101") is not None
    model.Session.rollback()
    assert (model.Session.get(CategoryLevel, "30201101") is None) is defer
    assert (categories.get("30201101") is None) is defer
