"""Template helpers (registered by ``tk.blanket.helpers``: every public function here)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk

from ckanext.yiyang import config

__all__ = ["yiyang_site_title"]


def yiyang_site_title() -> str:
    """The portal's title in the language of the current request."""
    if tk.h.lang() == "en":
        return config.site_title_en()
    return tk.config["ckan.site_title"]
