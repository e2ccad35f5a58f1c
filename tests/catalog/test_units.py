"""Units (单位): their schema, the loader of 附件1, the unit's page, and who may edit a unit."""

from __future__ import annotations

import itertools
import json
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests import factories, helpers

from ckanext.yiyang import config
from ckanext.yiyang.catalog import units
from ckanext.yiyang.catalog.logic.unit_validators import CONTACT_FIELDS
from ckanext.yiyang.catalog.unit_cli import load_units as load_units_command

_codes = itertools.count(1)

LEADER = {
    "name": "李哲",
    "position": "副主任",
    "office_phone": "0737-6206182",
    "mobile": "18007378189",
    "email": "lizhe@yiyang.gov.cn",
}
EMPTY_CONTACT = dict.fromkeys(CONTACT_FIELDS, "")


def _unit(**fields: Any) -> dict[str, Any]:
    """A unit of group 02 with a code of its own, created through organization_create."""
    fields.setdefault("unit_group", "02")
    fields.setdefault("unit_code", f"{next(_codes) % 1000:03d}")
    return factories.Organization(**fields)


def _call(action: str, **data: Any) -> Any:
    """An action as the site user (the activity plugin wants a real user behind every change)."""
    site_user = helpers.call_action("get_site_user")["name"]
    return helpers.call_action(action, context={"user": site_user}, **data)


def _errors(excinfo: pytest.ExceptionInfo[tk.ValidationError]) -> dict[str, Any]:
    return excinfo.value.error_dict


def _show(org_id: str, user: str | None = None) -> dict[str, Any]:
    """organization_show as ``user`` (anonymous when None) with authorization checked."""
    return helpers.call_action(
        "organization_show", context={"user": user or "", "ignore_auth": False}, id=org_id
    )


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestUnitGroupAndCode:
    def test_created_with_group_and_code(self):
        org = _unit(unit_group="02", unit_code="006", title="市公安局")
        shown = helpers.call_action("organization_show", id=org["id"])
        assert shown["unit_group"] == "02"
        assert shown["unit_code"] == "006"
        assert shown["title"] == "市公安局"

    def test_group_is_required(self):
        with pytest.raises(tk.ValidationError) as excinfo:
            factories.Organization(unit_code="001")
        assert list(_errors(excinfo)) == ["unit_group"]

    def test_code_is_required(self):
        with pytest.raises(tk.ValidationError) as excinfo:
            factories.Organization(unit_group="01")
        assert list(_errors(excinfo)) == ["unit_code"]

    def test_empty_strings_are_missing_values(self):
        with pytest.raises(tk.ValidationError) as excinfo:
            factories.Organization(unit_group="", unit_code=" ")
        assert set(_errors(excinfo)) == {"unit_group", "unit_code"}

    @pytest.mark.parametrize("group", ["06", "00", "2", "02 1", "市政府"])
    def test_group_must_be_one_of_the_five(self, group):
        with pytest.raises(tk.ValidationError) as excinfo:
            factories.Organization(unit_group=group, unit_code="001")
        assert "unit_group" in _errors(excinfo)
        assert "01, 02, 03, 04, 05" in _errors(excinfo)["unit_group"][0]

    @pytest.mark.parametrize("code", ["6", "06", "0061", "abc", "1.5", "٠٠٦"])
    def test_code_is_three_digits(self, code):
        with pytest.raises(tk.ValidationError) as excinfo:
            factories.Organization(unit_group="02", unit_code=code)
        assert list(_errors(excinfo)) == ["unit_code"]

    @pytest.mark.parametrize("code", [" 004 ", "００４"])  # full width, as input methods type
    def test_code_is_normalized(self, code):
        org = _unit(unit_group="03", unit_code=code)
        assert org["unit_code"] == "004"

    def test_code_is_unique_within_its_group(self):
        _unit(unit_group="02", unit_code="006", title="市公安局")
        with pytest.raises(tk.ValidationError) as excinfo:
            _unit(unit_group="02", unit_code="006", title="另一个单位")
        message = _errors(excinfo)["unit_code"][0]
        assert "006" in message
        assert "市公安局" in message

    def test_same_code_in_another_group_is_fine(self):
        _unit(unit_group="02", unit_code="006")
        org = _unit(unit_group="01", unit_code="006")
        assert (org["unit_group"], org["unit_code"]) == ("01", "006")

    def test_updating_a_unit_keeps_its_own_code(self):
        org = _unit(unit_group="02", unit_code="006")
        _call("organization_patch", id=org["id"], description="负责全市公安工作")
        assert helpers.call_action("organization_show", id=org["id"])["unit_code"] == "006"

    def test_moving_onto_a_used_code_is_refused(self):
        _unit(unit_group="02", unit_code="006")
        other = _unit(unit_group="02", unit_code="007")
        with pytest.raises(tk.ValidationError) as excinfo:
            _call("organization_patch", id=other["id"], unit_code="006")
        assert "unit_code" in _errors(excinfo)

    def test_code_of_a_deleted_unit_can_be_reused(self):
        old = _unit(unit_group="05", unit_code="001")
        _call("organization_delete", id=old["id"])
        new = _unit(unit_group="05", unit_code="001")
        assert new["unit_code"] == "001"

    def test_the_office_needs_no_group_or_code(self):
        office = factories.Organization(name=config.office_org(), title="市电子政务办")
        shown = helpers.call_action("organization_show", id=office["id"])
        assert "unit_group" not in shown
        assert "unit_code" not in shown
        # and it can be edited without them too
        _call("organization_patch", id=office["id"], description="审核")

    def test_the_office_may_still_not_give_a_wrong_group(self):
        with pytest.raises(tk.ValidationError) as excinfo:
            factories.Organization(name=config.office_org(), unit_group="09")
        assert "unit_group" in _errors(excinfo)

    def test_title_is_required(self):
        with pytest.raises(tk.ValidationError) as excinfo:
            _unit(title="")
        assert "title" in _errors(excinfo)


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestCreditCode:
    def test_optional(self):
        org = _unit()
        assert not helpers.call_action("organization_show", id=org["id"]).get("credit_code")

    def test_valid_code_is_stored_normalized(self):
        org = _unit(credit_code=" 11140800 558745220k ")
        shown = helpers.call_action("organization_show", id=org["id"])
        assert shown["credit_code"] == "11140800558745220K"

    def test_empty_code_is_accepted(self):
        org = _unit(credit_code="")
        assert helpers.call_action("organization_show", id=org["id"])["credit_code"] == ""

    @pytest.mark.parametrize(
        ("code", "words"),
        [
            ("1114080055874522", "18"),
            ("11140800558745220I", "I, O, Z, S"),
            ("B1140800558745220K", "B"),
            ("14140800558745220K", "4"),
            ("1114A800558745220K", "3 to 8"),
            ("11140800558745230K", "9 to 17"),
            ("11140800558745220J", "check character"),
        ],
    )
    def test_invalid_codes_say_what_is_wrong(self, code, words):
        with pytest.raises(tk.ValidationError) as excinfo:
            _unit(credit_code=code)
        errors = _errors(excinfo)
        assert list(errors) == ["credit_code"]
        assert words in errors["credit_code"][0]

    def test_not_text(self):
        with pytest.raises(tk.ValidationError) as excinfo:
            _unit(credit_code=["11140800558745220K"])
        assert "credit_code" in _errors(excinfo)


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestContacts:
    def test_created_with_a_dict_shown_as_a_dict(self):
        org = _unit(leader=LEADER)
        shown = helpers.call_action("organization_show", id=org["id"])
        assert shown["leader"] == LEADER
        assert shown["business_contact"] == EMPTY_CONTACT
        assert shown["it_contact"] == EMPTY_CONTACT
        # stored as JSON in the organization's extras, not as three extras per part
        group = model.Group.get(org["id"])
        assert json.loads(group.extras["leader"]) == LEADER

    def test_created_from_a_json_string(self):
        org = _unit(it_contact=json.dumps({"name": "王工", "email": "wang@yiyang.gov.cn"}))
        shown = helpers.call_action("organization_show", id=org["id"])
        assert shown["it_contact"] == {
            **EMPTY_CONTACT,
            "name": "王工",
            "email": "wang@yiyang.gov.cn",
        }

    def test_created_from_the_forms_flat_inputs(self):
        org = _unit(**{"business_contact-name": "赵敏", "business_contact-mobile": "13907371234"})
        shown = helpers.call_action("organization_show", id=org["id"])
        assert shown["business_contact"]["name"] == "赵敏"
        assert shown["business_contact"]["mobile"] == "13907371234"
        assert "business_contact-name" not in shown

    def test_everything_is_optional(self):
        org = _unit(leader={}, business_contact="", it_contact=None)
        shown = helpers.call_action("organization_show", id=org["id"])
        for field in ("leader", "business_contact", "it_contact"):
            assert shown[field] == EMPTY_CONTACT

    def test_update_and_patch(self):
        org = _unit(leader=LEADER)
        _call(
            "organization_patch",
            id=org["id"],
            it_contact={"name": "王工", "mobile": "13800000000"},
        )
        shown = helpers.call_action("organization_show", id=org["id"])
        assert shown["leader"] == LEADER  # patch keeps what it was not given
        assert shown["it_contact"]["mobile"] == "13800000000"
        _call("organization_patch", id=org["id"], leader={"name": "新领导"})
        assert helpers.call_action("organization_show", id=org["id"])["leader"] == {
            **EMPTY_CONTACT,
            "name": "新领导",
        }

    @pytest.mark.parametrize(
        "mobile", ["18007378189", "180 0737 8189", "180-0737-8189", "+86 18007378189"]
    )
    def test_mobile_numbers_are_normalized(self, mobile):
        org = _unit(leader={"mobile": mobile})
        assert helpers.call_action("organization_show", id=org["id"])["leader"]["mobile"] == (
            "18007378189"
        )

    @pytest.mark.parametrize(
        "office_phone", ["0737-6206182", "(0737)6206182", "6206182", "0737-6206182-8001"]
    )
    def test_office_phones(self, office_phone):
        org = _unit(leader={"office_phone": office_phone})
        shown = helpers.call_action("organization_show", id=org["id"])
        assert shown["leader"]["office_phone"] == office_phone

    @pytest.mark.parametrize(
        ("part", "value", "words"),
        [
            ("mobile", "1800737818", "11-digit"),  # 10 digits
            ("mobile", "180073781890", "11-digit"),
            ("mobile", "28007378189", "11-digit"),  # not a mobile prefix
            ("mobile", "12007378189", "11-digit"),
            ("mobile", "1800737818x", "11-digit"),
            ("office_phone", "0737-620618a", "phone number"),
            ("office_phone", "620618", "phone number"),  # too short
            ("office_phone", "转8001", "phone number"),
            ("email", "lizhe", "e-mail"),
            ("email", "lizhe@yiyang", "e-mail"),
            ("email", "li zhe@yiyang.gov.cn", "e-mail"),
            ("name", "张" * 101, "100"),
        ],
    )
    def test_invalid_parts_are_named(self, part, value, words):
        with pytest.raises(tk.ValidationError) as excinfo:
            _unit(leader={part: value})
        errors = _errors(excinfo)
        assert list(errors) == ["leader"]
        assert words in errors["leader"][0]

    def test_every_problem_is_reported(self):
        with pytest.raises(tk.ValidationError) as excinfo:
            _unit(it_contact={"mobile": "123", "email": "x", "fax": "6206182"})
        messages = _errors(excinfo)["it_contact"]
        assert len(messages) == 3
        assert any("fax" in message for message in messages)

    @pytest.mark.parametrize("value", ["not json", "[1, 2]", '"张三"', 42, ["张三"]])
    def test_not_an_object(self, value):
        with pytest.raises(tk.ValidationError) as excinfo:
            _unit(leader=value)
        assert "leader" in _errors(excinfo)

    def test_parts_must_be_text(self):
        with pytest.raises(tk.ValidationError) as excinfo:
            _unit(leader={"name": ["张三"]})
        assert "leader" in _errors(excinfo)

    def test_phone_numbers_and_emails_are_for_government_users_only(self):
        member = factories.User()
        org = _unit(leader=LEADER, users=[{"name": member["name"], "capacity": "member"}])
        outsider = factories.User()

        for viewer in (None, outsider["name"]):
            seen = _show(org["id"], viewer)["leader"]
            assert seen == {**EMPTY_CONTACT, "name": "李哲", "position": "副主任"}, viewer
        assert _show(org["id"], member["name"])["leader"] == LEADER
        assert _show(org["id"], factories.Sysadmin()["name"])["leader"] == LEADER

    def test_a_member_of_another_unit_sees_them(self):
        other_member = factories.User()
        _unit(users=[{"name": other_member["name"], "capacity": "member"}])
        org = _unit(leader=LEADER)
        assert _show(org["id"], other_member["name"])["leader"] == LEADER


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestAuthorization:
    """CKAN's own organization_update rule holds with our schema: the unit's admins edit it."""

    @pytest.fixture
    def unit(self) -> dict[str, Any]:
        self.admin = factories.User()
        self.editor = factories.User()
        self.member = factories.User()
        self.other_admin = factories.User()
        _unit(users=[{"name": self.other_admin["name"], "capacity": "admin"}])
        return _unit(
            users=[
                {"name": self.admin["name"], "capacity": "admin"},
                {"name": self.editor["name"], "capacity": "editor"},
                {"name": self.member["name"], "capacity": "member"},
            ]
        )

    def _patch(self, user: str | None, org_id: str) -> dict[str, Any]:
        return helpers.call_action(
            "organization_patch",
            context={"user": user or "", "ignore_auth": False},
            id=org_id,
            credit_code="11140800558745220K",
            leader=LEADER,
        )

    def test_anonymous_refused(self, unit):
        with pytest.raises(tk.NotAuthorized):
            self._patch(None, unit["id"])

    @pytest.mark.parametrize("role", ["editor", "member", "other_admin"])
    def test_others_refused(self, unit, role):
        with pytest.raises(tk.NotAuthorized):
            self._patch(getattr(self, role)["name"], unit["id"])

    def test_the_units_admin_allowed(self, unit):
        self._patch(self.admin["name"], unit["id"])
        updated = helpers.call_action("organization_show", id=unit["id"])
        assert updated["credit_code"] == "11140800558745220K"
        assert updated["leader"] == LEADER

    def test_sysadmin_allowed(self, unit):
        self._patch(factories.Sysadmin()["name"], unit["id"])
        assert helpers.call_action("organization_show", id=unit["id"])["leader"] == LEADER


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestLoader:
    def test_all_units_of_the_notice_in_five_groups(self):
        summary = units.load_units()
        assert len(summary.created) == 89  # 88 units and the office
        orgs = {
            name: helpers.call_action("organization_show", id=name)
            for name in helpers.call_action("organization_list")
        }
        unit_orgs = [org for org in orgs.values() if org["name"].startswith("unit-")]
        assert len(unit_orgs) == 88
        by_group: dict[str, list[str]] = {}
        for org in sorted(unit_orgs, key=units.unit_order_key):
            by_group.setdefault(org["unit_group"], []).append(org["unit_code"])
            assert org["name"] == f"unit-{org['unit_group']}{org['unit_code']}"
        assert {group: len(codes) for group, codes in by_group.items()} == {
            "01": 12,
            "02": 50,
            "03": 4,
            "04": 10,
            "05": 12,
        }
        for codes in by_group.values():
            assert codes == [f"{n:03d}" for n in range(1, len(codes) + 1)]
        assert orgs["unit-02006"]["title"] == "市公安局"
        assert orgs["unit-01001"]["title"] == "市纪委（市监察局）"
        assert orgs["unit-05012"]["title"] == "自来水公司"
        office = orgs[config.office_org()]
        assert office["title"] == "市电子政务办"
        assert "unit_group" not in office

    def test_units_start_without_members(self):
        units.load_units()
        for name in ("unit-01001", config.office_org()):
            assert helpers.call_action("member_list", id=name, object_type="user") == []

    def test_second_run_changes_nothing(self):
        units.load_units()
        again = units.load_units()
        assert (again.created, again.updated, again.skipped) == ([], [], [])
        assert len(again.unchanged) == 89
        assert not again.changed

    def test_what_a_unit_filled_in_is_kept(self):
        units.load_units()
        _call(
            "organization_patch",
            id="unit-02025",
            credit_code="11140800558745220K",
            leader=LEADER,
            description="市场主体登记",
            title="市工商局（改）",
        )
        summary = units.load_units()
        assert summary.updated == ["unit-02025"]
        shown = helpers.call_action("organization_show", id="unit-02025")
        assert shown["title"] == "市工商局"  # the notice's title is restored
        assert shown["credit_code"] == "11140800558745220K"
        assert shown["leader"] == LEADER
        assert shown["description"] == "市场主体登记"

    def test_members_are_kept(self):
        units.load_units()
        admin = factories.User()
        _call("organization_member_create", id="unit-03001", username=admin["name"], role="admin")
        _call("organization_patch", id="unit-03001", title="人大办")
        units.load_units()
        members = helpers.call_action("member_list", id="unit-03001", object_type="user")
        assert (admin["id"], "user", "Admin") in members

    def test_a_renamed_unit_is_found_by_its_code(self):
        units.load_units()
        _call("organization_patch", id="unit-04001", name="shi-zonggonghui")
        summary = units.load_units()
        assert not summary.created
        assert "shi-zonggonghui" in summary.unchanged

    def test_a_unit_that_lost_its_code_is_found_by_name(self):
        units.load_units()
        _call("organization_patch", id="unit-02010", unit_code="099")
        summary = units.load_units()
        assert summary.updated == ["unit-02010"]
        assert not summary.created
        assert helpers.call_action("organization_show", id="unit-02010")["unit_code"] == "010"

    def test_a_deleted_unit_stays_deleted(self):
        units.load_units()
        _call("organization_delete", id="unit-05001")
        summary = units.load_units()
        assert summary.skipped == ["unit-05001"]
        assert not summary.created
        shown = helpers.call_action("organization_show", id="unit-05001")
        assert shown["state"] == "deleted"

    def test_an_existing_organization_gets_group_and_code(self):
        _call(
            "organization_create",
            name=config.office_org(),
            title="电子政务办公室",
        )
        summary = units.load_units()
        assert summary.updated == [config.office_org()]
        assert helpers.call_action("organization_show", id=config.office_org())["title"] == (
            "市电子政务办"
        )

    def test_command(self, cli):
        result = cli.invoke(load_units_command, [])
        assert result.exit_code == 0, result.output
        assert "89 created, 0 updated, 0 unchanged" in result.output
        result = cli.invoke(load_units_command, [])
        assert "0 created, 0 updated, 89 unchanged" in result.output
        assert "nothing to change" in result.output


class TestOrder:
    def test_unit_groups(self):
        groups = units.unit_groups()
        assert [group.code for group in groups] == ["01", "02", "03", "04", "05"]
        assert groups[1].title == "市政府工作部门及有关单位"
        assert groups[3].title_en == "Mass organizations"

    def test_units_in_order(self):
        ordered = units.units_in_order()
        assert len(ordered) == 88
        assert ordered[0] == units.Unit("01", "001", "市纪委（市监察局）")
        assert ordered[12] == units.Unit("02", "001", "市政府办")
        assert ordered[-1].name == "unit-05012"
        assert ordered == sorted(ordered, key=lambda unit: (unit.group, unit.code))
        assert len({unit.name for unit in ordered}) == 88

    def test_order_key_puts_units_first(self):
        orgs = [
            {"name": "office", "title": "市电子政务办"},
            {"name": "b", "unit_group": "02", "unit_code": "010"},
            {"name": "a", "unit_group": "01", "unit_code": "012"},
            {"name": "c", "unit_group": "02", "unit_code": "002"},
        ]
        assert [org["name"] for org in sorted(orgs, key=units.unit_order_key)] == [
            "a",
            "c",
            "b",
            "office",
        ]

    @pytest.mark.usefixtures("with_plugins")
    def test_schema_choices_are_the_groups_of_units_yaml(self):
        schema = tk.h.scheming_get_organization_schema("organization")
        field = tk.h.scheming_field_by_name(schema["fields"], "unit_group")
        assert [
            (choice["value"], choice["label"]["zh_Hans_CN"], choice["label"]["en"])
            for choice in field["choices"]
        ] == [(group.code, group.title, group.title_en) for group in units.unit_groups()]


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestPages:
    def test_about_page_shows_identity_and_contacts(self, app):
        member = factories.UserWithToken()
        org = _unit(
            unit_group="02",
            unit_code="006",
            title="市公安局",
            credit_code="11140800558745220K",
            leader=LEADER,
            it_contact={"name": "王工", "mobile": "13800000000"},
            users=[{"name": member["name"], "capacity": "member"}],
        )
        body = app.get(
            tk.url_for("organization.about", id=org["name"]),
            headers={"Authorization": member["token"]},
        ).body
        for text in (
            "市政府工作部门及有关单位",
            "006",
            "11140800558745220K",
            "分管负责人",
            "部门业务联络人",
            "信息技术联络人",
            "李哲",
            "副主任",
            "0737-6206182",
            "18007378189",
            "lizhe@yiyang.gov.cn",
            "王工",
            "13800000000",
        ):
            assert text in body, text

    def test_anonymous_sees_names_not_numbers(self, app):
        org = _unit(leader=LEADER)
        body = app.get(tk.url_for("organization.about", id=org["name"])).body
        assert "李哲" in body
        assert "18007378189" not in body
        assert "lizhe@yiyang.gov.cn" not in body

    def test_sidebar_shows_the_group_and_code(self, app):
        org = _unit(unit_group="04", unit_code="003", title="市妇联")
        body = app.get(tk.url_for("organization.read", id=org["name"])).body
        assert "群团组织" in body
        assert "003" in body

    def test_edit_form_saves_the_contacts(self, app):
        admin = factories.UserWithToken()
        org = _unit(leader=LEADER, users=[{"name": admin["name"], "capacity": "admin"}])
        headers = {"Authorization": admin["token"]}
        url = tk.url_for("organization.edit", id=org["name"])
        form_page = app.get(url, headers=headers).body
        assert 'name="leader-mobile"' in form_page
        assert 'value="18007378189"' in form_page

        form = {
            "name": org["name"],
            "title": org["title"],
            "unit_group": org["unit_group"],
            "unit_code": org["unit_code"],
            "credit_code": "",
            "description": "",
            "save": "",
            **{f"leader-{part}": value for part, value in LEADER.items()},
            **{f"business_contact-{part}": "" for part in CONTACT_FIELDS},
            **{f"it_contact-{part}": "" for part in CONTACT_FIELDS},
            "it_contact-name": "王工",
            "it_contact-email": "wang@yiyang.gov.cn",
        }
        app.post(url, headers=headers, data=form)
        shown = helpers.call_action("organization_show", id=org["id"])
        assert shown["leader"] == LEADER
        assert shown["it_contact"] == {
            **EMPTY_CONTACT,
            "name": "王工",
            "email": "wang@yiyang.gov.cn",
        }

    def test_new_unit_from_the_form(self, app):
        sysadmin = factories.SysadminWithToken()
        form = {
            "name": "unit-02099",
            "title": "市数据资源局",
            "unit_group": "02",
            "unit_code": "099",
            "credit_code": "11140800 558745220K",
            "leader-name": "李哲",
            "leader-mobile": "180 0737 8189",
            "save": "",
        }
        app.post(
            tk.url_for("organization.new"),
            headers={"Authorization": sysadmin["token"]},
            data=form,
        )
        shown = helpers.call_action("organization_show", id="unit-02099")
        assert (shown["unit_group"], shown["unit_code"]) == ("02", "099")
        assert shown["credit_code"] == "11140800558745220K"
        assert shown["leader"] == {**EMPTY_CONTACT, "name": "李哲", "mobile": "18007378189"}

    def test_edit_form_shows_what_is_wrong(self, app):
        admin = factories.UserWithToken()
        org = _unit(users=[{"name": admin["name"], "capacity": "admin"}])
        url = tk.url_for("organization.edit", id=org["name"])
        form = {
            "name": org["name"],
            "title": org["title"],
            "unit_group": org["unit_group"],
            "unit_code": org["unit_code"],
            "credit_code": "11140800558745220J",
            "leader-mobile": "123",
            "save": "",
        }
        body = app.post(url, headers={"Authorization": admin["token"]}, data=form).body
        assert "统一社会信用代码" in body
        assert 'value="123"' in body  # what was typed is kept for correction
        assert helpers.call_action("organization_show", id=org["id"]).get("credit_code") is None


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_the_pickers_units_are_organization_lists_in_one_query():
    """``units.unit_rows`` (the unit pickers: one query) gives what ``organization_list``
    shows anyone of each active unit, and no deleted one."""
    kept = [_unit(title=f"市测试局{n}") for n in range(3)]
    gone = _unit(title="已撤销的局")
    _call("organization_delete", id=gone["id"])
    listed = helpers.call_action(
        "organization_list", context={"user": ""}, all_fields=True, include_extras=True
    )
    expected = {
        (o["id"], o["name"], o["title"], o.get("unit_group") or "", o.get("unit_code") or "")
        for o in listed
    }
    rows = units.unit_rows()
    assert {(r["id"], r["name"], r["title"], r["unit_group"], r["unit_code"]) for r in rows} == (
        expected
    )
    assert {r["unit_group"] for r in rows if r["id"] in {k["id"] for k in kept}} == {"02"}
    assert gone["id"] not in {r["id"] for r in rows}
