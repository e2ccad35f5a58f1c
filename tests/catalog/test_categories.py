"""The classification trees (catalog-model §3) and the actions that serve and extend them."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories
from ckan.tests.helpers import call_action, call_auth

from ckanext.yiyang import config
from ckanext.yiyang.catalog import categories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


def _find(nodes, code):
    for node in nodes:
        if node["code"] == code:
            return node
        found = _find(node["children"], code)
        if found:
            return found
    return None


class TestTrees:
    def test_catalog_tree_has_three_classes_and_the_guides_items(self):
        tree = call_action("yiyang_category_tree")["nodes"]
        assert [n["code"] for n in tree] == ["1", "2", "3"]
        assert [c["title"] for c in tree[0]["children"]] == [
            "人口",
            "法人单位",
            "自然资源和空间地理",
            "社会信用",
            "电子证照",
        ]
        assert len(tree[1]["children"]) == 12
        assert tree[1]["children"][-1] == {
            **tree[1]["children"][-1],
            "code": "212",
            "title": "应急维稳",
        }

    def test_department_class_is_derived_from_the_units(self):
        tree = call_action("yiyang_category_tree")["nodes"]
        groups = tree[2]["children"]
        assert [g["code"] for g in groups] == ["301", "302", "303", "304", "305"]
        assert groups[1]["title"] == "市政府工作部门及有关单位"
        assert sum(len(g["children"]) for g in groups) == 88
        land = _find(tree, "302011")
        assert land["title"] == "市国土资源局"
        assert categories.ancestors("302011") == ["3", "302", "302011"]

    def test_subject_tree_has_the_twenty_classes(self):
        nodes = call_action("yiyang_category_tree", tree="subject")["nodes"]
        assert len(nodes) == 20
        assert nodes[0]["title"] == "综合政务" and nodes[-1]["title"] == "综合党团"

    def test_unknown_tree_is_refused(self):
        with pytest.raises(tk.ValidationError):
            call_action("yiyang_category_tree", tree="nope")

    def test_counts_per_node(self, entry_factory):
        entry_factory(catalog_category="101")
        entry_factory(catalog_category="101")
        entry_factory(catalog_category="302011")
        sysadmin = factories.Sysadmin()
        result = call_action("yiyang_category_tree", {"user": sysadmin["name"]}, with_counts=True)
        assert _find(result["nodes"], "1")["count"] == 2
        assert _find(result["nodes"], "101")["count"] == 2
        assert _find(result["nodes"], "3")["count"] == 1
        assert _find(result["nodes"], "302")["count"] == 1
        assert _find(result["nodes"], "2")["count"] == 0
        assert result["total"] == 3


@pytest.fixture
def office(make_unit):
    return factories.Organization(name=config.office_org(), title="市电子政务办")


class TestAddingLevels:
    def test_reviewer_adds_a_level_and_entries_can_use_it(self, office, entry_factory):
        reviewer = factories.User()
        call_action(
            "member_create",
            id=office["id"],
            object=reviewer["name"],
            object_type="user",
            capacity="member",
        )
        node = call_action(
            "yiyang_category_create",
            {"user": reviewer["name"]},
            parent="302011",
            code="01",
            title="土地登记",
            title_en="Land registry",
        )
        assert node["code"] == "30201101"
        assert (
            _find(call_action("yiyang_category_tree")["nodes"], "30201101")["title"] == "土地登记"
        )
        entry = entry_factory(catalog_category="30201101")
        assert entry["resource_code"] == "30201101/000001"
        assert categories.ancestors("30201101") == ["3", "302", "302011", "30201101"]

    @pytest.mark.parametrize(
        "data,field",
        [
            ({"parent": "9", "code": "01", "title": "x"}, "parent"),
            ({"parent": "1", "code": "01", "title": "x"}, "parent"),
            ({"parent": "101", "code": "1", "title": "x"}, "code"),
            ({"parent": "101", "code": "0a", "title": "x"}, "code"),
            ({"parent": "101", "code": "01", "title": ""}, "title"),
        ],
    )
    def test_invalid_levels_are_refused_naming_the_field(self, data, field):
        sysadmin = factories.Sysadmin()
        with pytest.raises(tk.ValidationError) as raised:
            call_action("yiyang_category_create", {"user": sysadmin["name"]}, **data)
        assert field in raised.value.error_dict

    def test_duplicate_level_is_refused(self):
        sysadmin = factories.Sysadmin()
        call_action(
            "yiyang_category_create",
            {"user": sysadmin["name"]},
            parent="101",
            code="01",
            title="户籍",
        )
        with pytest.raises(tk.ValidationError) as raised:
            call_action(
                "yiyang_category_create",
                {"user": sysadmin["name"]},
                parent="101",
                code="01",
                title="户籍",
            )
        assert "code" in raised.value.error_dict


class TestAuth:
    """Who may read the trees (everyone) and who may extend them (reviewers, sysadmins)."""

    @pytest.fixture
    def users(self, office, make_unit):
        unit_members = {
            "member": factories.User(),
            "editor": factories.User(),
            "admin": factories.User(),
        }
        make_unit(users=[{"name": u["name"], "capacity": c} for c, u in unit_members.items()])
        reviewer = factories.User()
        call_action(
            "member_create",
            id=office["id"],
            object=reviewer["name"],
            object_type="user",
            capacity="editor",
        )
        return {
            "anonymous": None,
            **unit_members,
            "reviewer": reviewer,
            "sysadmin": factories.Sysadmin(),
        }

    @pytest.mark.parametrize(
        "role", ["anonymous", "member", "editor", "admin", "reviewer", "sysadmin"]
    )
    def test_everyone_reads_the_tree(self, users, role):
        user = users[role]
        assert call_auth("yiyang_category_tree", {"user": user["name"] if user else None})

    @pytest.mark.parametrize(
        "role,allowed",
        [
            ("anonymous", False),
            ("member", False),
            ("editor", False),
            ("admin", False),
            ("reviewer", True),
            ("sysadmin", True),
        ],
    )
    def test_only_reviewers_add_levels(self, users, role, allowed):
        user = users[role]
        context = {"user": user["name"] if user else None}
        if allowed:
            assert call_auth("yiyang_category_create", context, parent="101")
        else:
            with pytest.raises(tk.NotAuthorized):
                call_auth("yiyang_category_create", context, parent="101")
