"""The catalog entry schema: every field and rule of catalog-model §1, through the action API."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def sysadmin():
    return factories.Sysadmin()


@pytest.fixture
def unit(make_unit):
    return make_unit(title="市工商局")


def create(user, data):
    return tk.get_action("package_create")({"user": user["name"]}, data)


def errors_of(user, data) -> dict:
    with pytest.raises(tk.ValidationError) as raised:
        create(user, data)
    return raised.value.error_dict


class TestValidEntry:
    def test_complete_entry_is_stored_with_every_field(self, sysadmin, unit, entry_data):
        entry = create(sysadmin, entry_data(unit["id"]))
        shown = tk.get_action("package_show")({"user": sysadmin["name"]}, {"id": entry["id"]})
        for field in (
            "catalog_category",
            "subject_category",
            "format_class",
            "share_type",
            "share_condition",
            "share_method",
            "open_to_public",
            "update_cycle",
            "disclosure_scope",
            "management_mode",
            "format_type",
        ):
            assert shown[field] == entry_data(unit["id"])[field], field
        assert [i["name"] for i in shown["data_items"]] == ["企业名称", "注册资本"]
        assert shown["data_items"][0]["length"] == 200
        assert shown["data_items"][1]["unit"] == "万元"
        assert {t["name"] for t in shown["tags"]} == {"企业", "注册登记"}
        assert shown["review_status"] == "draft"

    def test_item_scope_defaults_to_the_entry_scope(self, sysadmin, unit, entry_data):
        items = [{"name": "企业名称", "data_type": "string", "length": 100}]
        entry = create(sysadmin, entry_data(unit["id"], data_items=items))
        assert entry["data_items"][0]["disclosure_scope"] == "partial"

    def test_blank_item_rows_are_dropped(self, sysadmin, unit, entry_data):
        items = [
            {"name": "", "description": "", "data_type": "", "length": ""},
            {"name": "企业名称", "data_type": "string", "length": 100},
        ]
        entry = create(sysadmin, entry_data(unit["id"], data_items=items))
        assert [i["name"] for i in entry["data_items"]] == ["企业名称"]

    def test_unshared_entry_needs_no_method_and_drops_one(self, sysadmin, unit, entry_data):
        entry = create(
            sysadmin,
            entry_data(
                unit["id"],
                share_type="none",
                share_condition="《统计法》第九条",
                share_method="platform_api",
            ),
        )
        assert "share_method" not in entry

    def test_related_codes_that_exist(self, sysadmin, unit, entry_data):
        first = create(sysadmin, entry_data(unit["id"]))
        second = create(
            sysadmin,
            entry_data(
                unit["id"], title="企业年报", related_resource_codes=[first["resource_code"]]
            ),
        )
        assert second["related_resource_codes"] == [first["resource_code"]]


class TestRules:
    @pytest.mark.parametrize(
        "field",
        [
            "title",
            "notes",
            "catalog_category",
            "subject_category",
            "format_class",
            "share_type",
            "open_to_public",
            "update_cycle",
            "disclosure_scope",
            "management_mode",
        ],
    )
    def test_required_field(self, sysadmin, unit, entry_data, field):
        data = entry_data(unit["id"])
        data.pop(field)
        assert field in errors_of(sysadmin, data)

    def test_at_least_one_keyword(self, sysadmin, unit, entry_data):
        data = entry_data(unit["id"], tag_string="")
        assert "tag_string" in errors_of(sysadmin, data)

    @pytest.mark.parametrize("share_type", ["conditional", "none"])
    def test_share_condition_required(self, sysadmin, unit, entry_data, share_type):
        data = entry_data(unit["id"], share_type=share_type, share_condition="")
        assert "share_condition" in errors_of(sysadmin, data)

    def test_share_condition_not_needed_when_unconditional(self, sysadmin, unit, entry_data):
        entry = create(
            sysadmin, entry_data(unit["id"], share_type="unconditional", share_condition="")
        )
        assert entry["share_type"] == "unconditional"

    def test_share_method_required_unless_not_shared(self, sysadmin, unit, entry_data):
        data = entry_data(unit["id"], share_method="")
        assert "share_method" in errors_of(sysadmin, data)

    def test_open_condition_required_when_open(self, sysadmin, unit, entry_data):
        data = entry_data(unit["id"], open_to_public="yes")
        assert "open_condition" in errors_of(sysadmin, data)
        entry = create(
            sysadmin, entry_data(unit["id"], open_to_public="yes", open_condition="注册后下载")
        )
        assert entry["open_condition"] == "注册后下载"

    @pytest.mark.parametrize("data_type", ["string", "binary"])
    def test_length_required_for_string_and_binary(self, sysadmin, unit, entry_data, data_type):
        items = [{"name": "照片", "data_type": data_type}]
        errors = errors_of(sysadmin, entry_data(unit["id"], data_items=items))
        assert "length" in errors["data_items"][0]

    def test_length_not_needed_for_numbers(self, sysadmin, unit, entry_data):
        items = [{"name": "人数", "data_type": "integer"}]
        assert create(sysadmin, entry_data(unit["id"], data_items=items))

    @pytest.mark.parametrize("length", ["0", "-3", "十"])
    def test_length_is_a_positive_whole_number(self, sysadmin, unit, entry_data, length):
        items = [{"name": "名称", "data_type": "string", "length": length}]
        errors = errors_of(sysadmin, entry_data(unit["id"], data_items=items))
        assert "length" in errors["data_items"][0]

    @pytest.mark.parametrize("format_class", ["spreadsheet", "database"])
    def test_items_required_for_tables(self, sysadmin, unit, entry_data, format_class):
        data = entry_data(unit["id"], format_class=format_class, data_items=[])
        assert "data_items" in errors_of(sysadmin, data)

    def test_items_not_needed_for_documents(self, sysadmin, unit, entry_data):
        entry = create(
            sysadmin, entry_data(unit["id"], format_class="electronic_document", data_items=[])
        )
        assert entry["format_class"] == "electronic_document"

    def test_item_names_are_unique(self, sysadmin, unit, entry_data):
        items = [
            {"name": "企业名称", "data_type": "string", "length": 10},
            {"name": "企业名称", "data_type": "string", "length": 20},
        ]
        errors = errors_of(sysadmin, entry_data(unit["id"], data_items=items))
        assert errors["data_items"][1]["name"]

    def test_item_data_type_is_one_of_five(self, sysadmin, unit, entry_data):
        items = [{"name": "金额", "data_type": "money"}]
        errors = errors_of(sysadmin, entry_data(unit["id"], data_items=items))
        assert "data_type" in errors["data_items"][0]

    @pytest.mark.parametrize(
        "field,value",
        [
            ("format_class", "pdf"),
            ("share_type", "maybe"),
            ("update_cycle", "hourly"),
            ("disclosure_scope", "secret"),
            ("management_mode", "robot"),
            ("open_to_public", "1"),
            ("share_method", "fax"),
        ],
    )
    def test_choice_fields_take_only_their_values(self, sysadmin, unit, entry_data, field, value):
        assert field in errors_of(sysadmin, entry_data(unit["id"], **{field: value}))

    @pytest.mark.parametrize("code", ["1", "9", "109", "302999", "abc"])
    def test_catalog_category_must_be_in_the_tree_below_a_class(
        self, sysadmin, unit, entry_data, code
    ):
        assert "catalog_category" in errors_of(
            sysadmin, entry_data(unit["id"], catalog_category=code)
        )

    @pytest.mark.parametrize("code", ["101", "212", "302015", "501"][:3])
    def test_catalog_category_accepted(self, sysadmin, unit, entry_data, code):
        assert (
            create(sysadmin, entry_data(unit["id"], catalog_category=code))["catalog_category"]
            == code
        )

    @pytest.mark.parametrize("code", ["00", "21", "经济管理"])
    def test_subject_category_is_one_of_twenty(self, sysadmin, unit, entry_data, code):
        assert "subject_category" in errors_of(
            sysadmin, entry_data(unit["id"], subject_category=code)
        )

    def test_related_codes_must_exist(self, sysadmin, unit, entry_data):
        data = entry_data(unit["id"], related_resource_codes=["102/999999", "nonsense"])
        message = errors_of(sysadmin, data)["related_resource_codes"][0]
        assert "102/999999" in message and "nonsense" in message

    def test_urls_are_checked(self, sysadmin, unit, entry_data):
        assert "online_url" in errors_of(sysadmin, entry_data(unit["id"], online_url="not a url"))


class TestDrafts:
    def test_a_draft_may_be_incomplete(self, sysadmin, unit):
        draft = create(
            sysadmin,
            {
                "type": "dataset",
                "title": "未完成的信息资源",
                "owner_org": unit["id"],
                "state": "draft",
            },
        )
        assert draft["state"] == "draft"
        assert draft["metadata_id"]
        assert "resource_code" not in draft  # no category yet
        assert draft["name"].startswith("draft-")

    def test_finishing_a_draft_applies_every_rule(self, sysadmin, unit, entry_data):
        draft = create(
            sysadmin,
            {"type": "dataset", "title": "未完成", "owner_org": unit["id"], "state": "draft"},
        )
        with pytest.raises(tk.ValidationError) as raised:
            tk.get_action("package_patch")(
                {"user": sysadmin["name"]}, {"id": draft["id"], "state": "active"}
            )
        assert {"notes", "share_type", "catalog_category"} <= set(raised.value.error_dict)

    def test_draft_gets_code_and_name_with_its_category(self, sysadmin, unit, entry_data):
        draft = create(
            sysadmin,
            {"type": "dataset", "title": "未完成", "owner_org": unit["id"], "state": "draft"},
        )
        data = entry_data(unit["id"], id=draft["id"], catalog_category="101")
        data.pop("type")
        done = tk.get_action("package_update")({"user": sysadmin["name"]}, data)
        assert done["resource_code"].startswith("101/")
        assert done["name"] == done["resource_code"].replace("/", "-")
        assert done["metadata_id"] == draft["metadata_id"]


class TestMessages:
    def test_messages_are_chinese_by_default(self, app, sysadmin, unit, entry_data):
        data = entry_data(unit["id"], share_condition="")
        response = app.post(
            "/api/3/action/package_create",
            json=data,
            headers={"Authorization": factories.APIToken(user=sysadmin["name"])["token"]},
            status=409,
        )
        assert response.json["error"]["share_condition"] == ["请填写共享条件"]

    def test_messages_are_english_under_en(self, app, sysadmin, unit, entry_data):
        data = entry_data(unit["id"], share_condition="")
        response = app.post(
            "/en/api/3/action/package_create",
            json=data,
            headers={"Authorization": factories.APIToken(user=sysadmin["name"])["token"]},
            status=409,
        )
        assert response.json["error"]["share_condition"] == ["Give the conditions of sharing"]


class TestTypeIsOptional:
    """CKAN documents ``type`` as optional and ``ckanapi action package_create`` leaves it out:
    an entry created without it is a ``dataset`` with its code, like one created with it."""

    @pytest.fixture
    def editor_unit(self, make_unit):
        editor = factories.User()
        unit = make_unit(
            title="市市场监管局", users=[{"name": editor["name"], "capacity": "editor"}]
        )
        return editor, unit

    @staticmethod
    def _without_type(entry_data, unit):
        data = entry_data(unit["id"])
        del data["type"]
        return data

    def test_a_unit_editor_through_the_action(self, editor_unit, entry_data):
        editor, unit = editor_unit
        entry = create(editor, self._without_type(entry_data, unit))
        assert entry["type"] == "dataset"
        assert entry["owner_org"] == unit["id"]
        assert entry["resource_code"] and entry["metadata_id"]
        assert entry["review_status"] == "draft"

    def test_the_http_api_with_a_token(self, app, editor_unit, entry_data):
        editor, unit = editor_unit
        token = factories.APIToken(user=editor["name"])["token"]
        response = app.post(
            "/api/3/action/package_create",
            json=self._without_type(entry_data, unit),
            headers={"Authorization": token},
            status=200,
        )
        entry = response.json["result"]
        assert entry["type"] == "dataset"
        assert entry["resource_code"]
        shown = tk.get_action("package_show")({"ignore_auth": True}, {"id": entry["id"]})
        assert shown["owner_org"] == unit["id"]
