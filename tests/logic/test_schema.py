"""The schema parts every action shares, as functions (no database, no plugins)."""

from __future__ import annotations

import datetime

import ckan.plugins.toolkit as tk
import pytest

from ckanext.yiyang.logic.schema import (
    choice,
    comma_list,
    iso_date,
    list_schema,
    required,
    validate,
)


class TestListSchema:
    def test_defaults(self):
        assert validate({}, list_schema(default=50, maximum=500), {}) == {"limit": 50, "offset": 0}

    def test_numbers_as_text_and_the_maximum(self):
        data = validate({"limit": "900", "offset": "20"}, list_schema(50, 500), {})
        assert data == {"limit": 500, "offset": 20}

    def test_zero_is_a_count_only(self):
        assert validate({"limit": 0}, list_schema(50, 500), {})["limit"] == 0

    @pytest.mark.parametrize("field,value", [("limit", "x"), ("limit", -1), ("offset", "-3")])
    def test_refused(self, field, value):
        with pytest.raises(tk.ValidationError) as raised:
            validate({field: value}, list_schema(50, 500), {})
        assert set(raised.value.error_dict) == {field}


class TestFields:
    def test_required_with_its_own_message(self):
        schema = {"reason": [required("give a reason")]}
        for value in (None, "", "   "):
            with pytest.raises(tk.ValidationError) as raised:
                validate({"reason": value}, schema, {})
            assert raised.value.error_dict == {"reason": ["give a reason"]}
        with pytest.raises(tk.ValidationError):
            validate({}, schema, {})
        assert validate({"reason": "因为"}, schema, {}) == {"reason": "因为"}

    def test_choice(self):
        schema = {"edition": [choice(("internal", "public"), "choose one")]}
        assert validate({"edition": "public"}, schema, {}) == {"edition": "public"}
        for data in ({}, {"edition": ""}, {"edition": "secret"}):
            with pytest.raises(tk.ValidationError) as raised:
                validate(data, schema, {})
            assert raised.value.error_dict == {"edition": ["choose one"]}

    def test_iso_date(self):
        assert iso_date("2099-12-31") == datetime.date(2099, 12, 31)
        assert iso_date("2099-12-31T08:00:00") == datetime.date(2099, 12, 31)
        assert iso_date("") is None and iso_date(None) is None
        with pytest.raises(tk.Invalid):
            iso_date("soon")

    def test_comma_list(self):
        assert comma_list("企业名称, 注册资本,") == ["企业名称", "注册资本"]
        assert comma_list(["企业名称"]) == ["企业名称"]
