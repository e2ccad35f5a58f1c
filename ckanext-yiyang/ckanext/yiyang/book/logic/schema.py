"""Schemas of the catalog book's actions."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import Schema

from ckanext.yiyang.book import source
from ckanext.yiyang.logic.schema import choice, list_schema


def edition() -> Schema:
    """One kind of the book: its edition and its format."""
    return {
        "edition": [choice(source.EDITIONS, tk._("Choose internal or public"))],
        "format": [choice(source.FORMATS, tk._("Choose pdf or xlsx"))],
    }


def book_list() -> Schema:
    """The editions' list: ``limit`` and ``offset``."""
    return list_schema(default=20, maximum=100)
