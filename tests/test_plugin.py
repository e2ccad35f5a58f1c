"""The plugin loads with its companions and its configuration."""

from __future__ import annotations

import importlib.metadata
import types

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import pytest
from ckan import model

from ckanext.yiyang import blanket

# The base plugin, then the add-ons a deployment may leave out (tests/test_addons.py).
OURS = ("yiyang", "yiyang_survey", "yiyang_book", "yiyang_progress")
MERGED = (
    "yiyang_notify",
    "yiyang_review",
    "yiyang_subscription",
    "yiyang_demand",
    "yiyang_import",
)


@pytest.mark.usefixtures("with_plugins")
class TestPluginLoads:
    def test_plugins_are_loaded(self):
        for name in ("yiyang", "activity", "scheming_datasets", "scheming_organizations"):
            assert p.plugin_loaded(name), name

    def test_four_plugins_of_ours(self):
        registered = {e.name for e in importlib.metadata.entry_points(group="ckan.plugins")} & {
            *OURS,
            *MERGED,
        }
        assert registered == set(OURS)
        for name in OURS:
            assert p.plugin_loaded(name), name

    def test_the_base_carries_review_subscriptions_demands_and_notifications(self):
        base = p.get_plugin("yiyang")
        actions = base.get_actions()
        for name in (
            "yiyang_review_submit",
            "yiyang_subscription_create",
            "yiyang_demand_create",
            "yiyang_notification_list",
            "yiyang_category_create",
        ):
            assert name in actions, name
            assert tk.get_action(name)
        assert {"yiyang_review_submit", "yiyang_notification_list"} <= set(
            base.get_auth_functions()
        )
        helpers = base.get_helpers()
        for name in (
            "yiyang_main_nav",
            "yiyang_review_history",
            "yiyang_subscription_state_label",
            "yiyang_demand_status_label",
            "yiyang_notification_unread_count",
        ):
            assert name in helpers, name
        blueprints = {b.name for b in base.get_blueprint()}
        assert blueprints == {
            "yiyang_notify",
            "yiyang_review",
            "yiyang_subscription",
            "yiyang_demand",
            "yiyang_objection",
            "yiyang_desk",
            "yiyang_portal",
            "yiyang_services",
            "yiyang_visibility",
            "yiyang_audit",
            "yiyang_data",
            "yiyang_exchange",
        }
        senders = {
            listener["sender"]
            for listeners in base.get_signal_subscriptions().values()
            for listener in listeners
            if isinstance(listener, dict)
        }
        assert {
            "yiyang_review_approve",
            "yiyang_subscription_approve",
            "yiyang_demand_create",
        } <= senders

    def test_config_declared(self):
        assert tk.config["ckanext.yiyang.office_org"] == "shi-dianzi-zhengwuban"

    def test_each_plugin_declares_its_own_options(self):
        from ckan.config.declaration import Declaration

        def keys(plugin: str) -> set[str]:
            declaration = Declaration()
            declaration.load_plugin(plugin)
            return {str(key) for key in declaration.iter_options()}

        base = keys("yiyang")
        assert {
            "ckanext.yiyang.office_org",
            "ckanext.yiyang.notify.mail",
            "ckanext.yiyang.subscription.answer_days",
            "ckanext.yiyang.demand.answer_days",
            "ckanext.yiyang.services.rate_limit",
        } <= base
        survey, book, progress = (
            keys("yiyang_survey"),
            keys("yiyang_book"),
            keys("yiyang_progress"),
        )
        assert {
            "ckanext.yiyang.survey.export_max_entries",
            "ckanext.yiyang.import.max_rows",
        } <= survey
        assert "ckanext.yiyang.book.directory" in book
        assert "ckanext.yiyang.progress.deadline.launch" in progress
        for addon in (survey, book, progress):
            assert not base & addon

    def test_locale_is_chinese_with_english_offered(self):
        assert tk.config["ckan.locale_default"] == "zh_Hans_CN"
        assert "en" in tk.config["ckan.locales_offered"]

    def test_schemas_are_ours(self):
        schema = tk.h.scheming_get_dataset_schema("dataset")
        assert schema["about"].startswith("益阳市政务信息资源目录")
        org_schema = tk.h.scheming_get_organization_schema("organization")
        assert org_schema["about"].startswith("益阳市政务信息资源目录")


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestMigrations:
    def test_our_tables_exist(self):
        inspector = model.Session.get_bind()
        from sqlalchemy import inspect

        tables = inspect(inspector).get_table_names()
        assert "yiyang_code_sequence" in tables
        assert "activity" in tables


@pytest.mark.usefixtures("with_plugins", "clean_db")
class TestPages:
    def test_home_page_is_chinese(self, app):
        body = app.get("/").body
        assert "益阳市政务信息资源目录与共享平台" in body
        assert "查找信息资源" in body  # our own catalog's translation

    def test_english_under_en(self, app):
        body = app.get("/en/").body
        assert "Yiyang Government Information Resource Catalog" in body
        assert "find a resource" in body


class TestBlanketMembers:
    """The merged features' modules registered as one plugin's, as CKAN would register them
    from one plugin each (no database, no plugins)."""

    @staticmethod
    def _module(name: str, **functions):
        module = types.ModuleType(name)
        for key, function in functions.items():
            function.__module__ = name
            setattr(module, key, function)
        module.__all__ = list(functions)
        return module

    def test_chained_functions_of_one_name_chain_in_the_order_of_the_modules(self):
        calls: list[str] = []

        @tk.chained_action
        def first(up_func, context, data_dict):
            calls.append("first")
            return up_func(context, data_dict)

        @tk.chained_action
        def second(up_func, context, data_dict):
            calls.append("second")
            return up_func(context, data_dict)

        subject = blanket.members(
            self._module("one", package_update=first), self._module("two", package_update=second)
        )()
        chained = subject["package_update"]
        assert getattr(chained, "chained_action", False)
        assert chained(lambda context, data_dict: "core", {}, {}) == "core"
        assert calls == ["first", "second"]

    def test_a_plain_name_twice_is_an_error(self):
        subject = blanket.members(
            self._module("one", yiyang_x_show=lambda context, data_dict: 1),
            self._module("two", yiyang_x_show=lambda context, data_dict: 2),
        )
        with pytest.raises(ValueError, match="yiyang_x_show is defined twice"):
            subject()
