"""The base plugin ``yiyang``: configuration, theme, translations, the catalog's schema glue,
search and command line."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import CKANConfig
from ckan.lib.plugins import DefaultTranslation

from ckanext.yiyang import activity_filter, helpers, visibility
from ckanext.yiyang.catalog import helpers as catalog_helpers
from ckanext.yiyang.catalog import search
from ckanext.yiyang.catalog.logic import action as catalog_action
from ckanext.yiyang.catalog.logic import auth as catalog_auth
from ckanext.yiyang.catalog.logic import unit_validators
from ckanext.yiyang.catalog.logic import validators as catalog_validators


def _public(*modules: Any) -> dict[str, Any]:
    """The public functions of modules (what a blanket would register for one module)."""
    found: dict[str, Any] = {}
    for module in modules:
        names = getattr(module, "__all__", None) or [
            n
            for n, v in vars(module).items()
            if callable(v)
            and not n.startswith("_")
            and getattr(v, "__module__", None) == module.__name__
        ]
        found.update({n: getattr(module, n) for n in names})
    return found


@tk.blanket.config_declarations
@tk.blanket.cli
@tk.blanket.helpers(lambda: _public(helpers, catalog_helpers))
@tk.blanket.actions(lambda: _public(catalog_action, activity_filter))
@tk.blanket.auth_functions(lambda: _public(catalog_auth))
@tk.blanket.validators(lambda: _public(catalog_validators, unit_validators))
class YiyangPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPermissionLabels)

    # IConfigurer

    def update_config(self, config: CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "yiyang")

    # IPackageController

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return search.index_fields(pkg_dict)

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        government = visibility.viewer_is_government(visibility.current_user_name())
        return search.search_params(search_params, government)

    def after_dataset_search(
        self, search_results: dict[str, Any], search_params: dict[str, Any]
    ) -> dict[str, Any]:
        viewer = visibility.current_user_name()
        if not visibility.viewer_is_government(viewer):
            for result in search_results.get("results", []):
                visibility.hide_non_public_items(result)
        visibility.hide_resources(search_results.get("results", []), viewer)
        return search.label_facets(search_results, _lang())

    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        if not context.get("ignore_auth") and not visibility.viewer_is_government(
            context.get("user")
        ):
            visibility.hide_non_public_items(pkg_dict)
        if not context.get("ignore_auth"):
            visibility.hide_resources([pkg_dict], context.get("user"))
        return pkg_dict

    # IPermissionLabels

    def get_dataset_labels(self, dataset_obj: Any) -> list[str]:
        return self._labels.get_dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj: Any) -> list[str]:
        return self._labels.get_user_dataset_labels(user_obj)

    _labels = visibility.Labels()

    # IFacets

    def dataset_facets(
        self, facets_dict: OrderedDict[str, Any], package_type: str
    ) -> OrderedDict[str, Any]:
        return search.facets(facets_dict)

    def organization_facets(
        self, facets_dict: OrderedDict[str, Any], organization_type: str, package_type: str | None
    ) -> OrderedDict[str, Any]:
        return search.facets(facets_dict)


def _lang() -> str | None:
    try:
        return tk.h.lang()
    except (RuntimeError, AttributeError):
        return None
