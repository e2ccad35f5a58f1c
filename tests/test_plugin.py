"""The plugin loads with its companions and its configuration."""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import pytest
from ckan import model


@pytest.mark.usefixtures("with_plugins")
class TestPluginLoads:
    def test_plugins_are_loaded(self):
        for name in ("yiyang", "activity", "scheming_datasets", "scheming_organizations"):
            assert p.plugin_loaded(name), name

    def test_config_declared(self):
        assert tk.config["ckanext.yiyang.office_org"] == "shi-dianzi-zhengwuban"

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
