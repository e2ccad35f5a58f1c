"""What the portal leaves out of stock CKAN or changes of it (issue 12, point 12): CKAN's
groups, self-registration's promise, a unit's official name and codes, the review steps in
the activity stream, the names of fields in error summaries."""

from __future__ import annotations

import pytest


@pytest.fixture
def unit_people(clean_db, make_unit):
    import ckan.plugins.toolkit as tk
    from ckan.tests import factories

    from ckanext.yiyang import config

    admin, reviewer = factories.User(), factories.User()
    unit = make_unit(
        title="市市场监督管理局", users=[{"name": admin["name"], "capacity": "admin"}]
    )
    make_unit(
        name=config.office_org(),
        title="市电子政务办",
        unit_group="",
        unit_code="",
        users=[{"name": reviewer["name"], "capacity": "member"}],
    )
    return {
        "unit": unit,
        "admin": admin,
        "reviewer": reviewer,
        "sysadmin": factories.Sysadmin(),
        "patch": tk.get_action("organization_patch"),
    }


@pytest.mark.usefixtures("with_plugins")
class TestOfficialFields:
    @pytest.mark.parametrize(
        "field,value",
        [
            ("title", "市市场监管局"),
            ("name", "unit-02999"),
            ("unit_code", "998"),
            ("unit_group", "01"),
        ],
    )
    def test_a_unit_admin_cannot_change_them(self, unit_people, field, value):
        import ckan.plugins.toolkit as tk

        with pytest.raises(tk.ValidationError) as error:
            unit_people["patch"](
                {"user": unit_people["admin"]["name"]},
                {"id": unit_people["unit"]["id"], field: value},
            )
        assert "Only the e-government office" in str(error.value.error_dict[field])

    def test_a_unit_admin_changes_the_description(self, unit_people):
        unit = unit_people["patch"](
            {"user": unit_people["admin"]["name"]},
            {"id": unit_people["unit"]["id"], "description": "负责全市市场监督管理。"},
        )
        assert unit["description"] == "负责全市市场监督管理。"
        assert unit["title"] == "市市场监督管理局"

    def test_a_sysadmin_renames_a_unit(self, unit_people):
        import ckan.plugins.toolkit as tk

        unit_people["patch"](
            {"user": unit_people["sysadmin"]["name"]},
            {"id": unit_people["unit"]["id"], "title": "市市场监管局", "unit_code": "998"},
        )
        unit = tk.get_action("organization_show")({}, {"id": unit_people["unit"]["id"]})
        assert (unit["title"], unit["unit_code"]) == ("市市场监管局", "998")


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestPages:
    @pytest.mark.parametrize("url", ["/group/", "/group/new", "/dashboard/groups"])
    def test_ckan_groups_are_off(self, app, url):
        from ckan.tests import factories

        user = factories.UserWithToken()
        app.get(url, headers={"Authorization": user["token"]}, status=404)

    def test_the_register_form_says_an_admin_adds_you(self, app):
        text = app.get("/user/register").get_data(as_text=True)
        assert "注册后即可登记信息资源" not in text
        assert "将您加入本单位" in text

    @pytest.mark.ckan_config("ckan.auth.create_user_via_web", "false")
    def test_registration_can_be_off(self, app):
        app.get("/user/register", status=403)
        assert "/user/register" not in app.get("/user/login").get_data(as_text=True)

    def test_an_error_summary_names_the_field_in_chinese(self, app):
        import ckan.plugins.toolkit as tk

        with app.flask_app.test_request_context("/"):
            summary = tk.ValidationError({"dataset_id": ["x"]}).error_summary
        assert summary == {"信息资源": "x"}


def _activity(status: str, object_id: str = "e1", kind: str = "changed package") -> dict:
    return {
        "activity_type": kind,
        "object_id": object_id,
        "data": {"package": {"review_status": status}},
    }


@pytest.mark.parametrize(
    "before,after,step",
    [
        ("draft", "submitted", "submit"),
        ("returned", "submitted", "submit"),
        ("submitted", "published", "approve"),
        ("submitted", "returned", "return"),
        ("published", "withdrawn", "withdraw"),
        ("draft", "draft", ""),
        ("published", "published", ""),
    ],
)
def test_the_review_step_of_an_activity(before, after, step):
    from ckanext.yiyang.review.activity import yiyang_activity_review_step

    # newest first, with another entry's activity between them
    stream = [_activity(after), _activity("draft", "e2"), _activity(before)]
    assert yiyang_activity_review_step(stream, 0) == step


def test_no_step_without_the_entry_s_previous_activity():
    from ckanext.yiyang.review.activity import yiyang_activity_review_step

    assert yiyang_activity_review_step([_activity("published")], 0) == ""
