"""The base plugin ``yiyang``: the catalog and its rules (catalog-model §1–§9).

Configuration, theme, translations, the catalog's schema glue, search, permission labels and
command line, and the features the rules depend on one another through — review and
publication, subscriptions, demands, notifications — each in its own sub-package, registered
here by blanket decorators over module lists (as ``ckanext/activity`` registers its one
package). What a deployment may switch off is an add-on with a plugin of its own
(``yiyang_survey``, ``yiyang_book``, ``yiyang_progress``; see :mod:`ckanext.yiyang.addons`).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import CKANConfig
from ckan.lib.plugins import DefaultTranslation
from ckan.types import SignalMapping
from ckanext.xloader.interfaces import IXloader

from ckanext.yiyang import blanket, cli, helpers, security, stock, visibility
from ckanext.yiyang.audit import datastore as audit_datastore
from ckanext.yiyang.audit import helpers as audit_helpers
from ckanext.yiyang.audit import views as audit_views
from ckanext.yiyang.audit.logic import action as audit_action
from ckanext.yiyang.audit.logic import auth as audit_auth
from ckanext.yiyang.catalog import helpers as catalog_helpers
from ckanext.yiyang.catalog import search
from ckanext.yiyang.catalog.logic import action as catalog_action
from ckanext.yiyang.catalog.logic import auth as catalog_auth
from ckanext.yiyang.catalog.logic import unit_validators
from ckanext.yiyang.catalog.logic import validators as catalog_validators
from ckanext.yiyang.data import helpers as data_helpers
from ckanext.yiyang.data import load as data_load
from ckanext.yiyang.data import subscriptions as data_subscriptions
from ckanext.yiyang.data import views as data_views
from ckanext.yiyang.data.logic import action as data_action
from ckanext.yiyang.data.logic import auth as data_auth
from ckanext.yiyang.datagate import actions as datagate_actions
from ckanext.yiyang.datagate import auth as datagate_auth
from ckanext.yiyang.datagate import helpers as datagate_helpers
from ckanext.yiyang.datagate import routes as datagate_routes
from ckanext.yiyang.demand import helpers as demand_helpers
from ckanext.yiyang.demand import subscriptions as demand_subscriptions
from ckanext.yiyang.demand import views as demand_views
from ckanext.yiyang.demand.logic import action as demand_action
from ckanext.yiyang.demand.logic import auth as demand_auth
from ckanext.yiyang.desk import subscriptions as desk_subscriptions
from ckanext.yiyang.desk import views as desk_views
from ckanext.yiyang.desk.logic import action as desk_action
from ckanext.yiyang.desk.logic import auth as desk_auth
from ckanext.yiyang.exchange import views as exchange_views
from ckanext.yiyang.exchange.logic import action as exchange_action
from ckanext.yiyang.notify import helpers as notify_helpers
from ckanext.yiyang.notify import views as notify_views
from ckanext.yiyang.notify.logic import action as notify_action
from ckanext.yiyang.notify.logic import auth as notify_auth
from ckanext.yiyang.objection import helpers as objection_helpers
from ckanext.yiyang.objection import subscriptions as objection_subscriptions
from ckanext.yiyang.objection import views as objection_views
from ckanext.yiyang.objection import workflow as objection_workflow
from ckanext.yiyang.objection.logic import action as objection_action
from ckanext.yiyang.objection.logic import auth as objection_auth
from ckanext.yiyang.portal import helpers as portal_helpers
from ckanext.yiyang.portal import views as portal_views
from ckanext.yiyang.portal.logic import action as portal_action
from ckanext.yiyang.portal.logic import auth as portal_auth
from ckanext.yiyang.resilience import outage
from ckanext.yiyang.resilience import retry as resilience_retry
from ckanext.yiyang.review import activity as review_activity
from ckanext.yiyang.review import helpers as review_helpers
from ckanext.yiyang.review import subscriptions as review_subscriptions
from ckanext.yiyang.review import views as review_views
from ckanext.yiyang.review.logic import action as review_action
from ckanext.yiyang.review.logic import auth as review_auth
from ckanext.yiyang.security import action as security_action
from ckanext.yiyang.security import auth as security_auth
from ckanext.yiyang.security import limits
from ckanext.yiyang.services import gate as services_gate
from ckanext.yiyang.services import views as services_views
from ckanext.yiyang.services.logic import action as services_action
from ckanext.yiyang.services.logic import auth as services_auth
from ckanext.yiyang.subscription import helpers as subscription_helpers
from ckanext.yiyang.subscription import subscriptions as subscription_subscriptions
from ckanext.yiyang.subscription import views as subscription_views
from ckanext.yiyang.subscription.logic import action as subscription_action
from ckanext.yiyang.subscription.logic import auth as subscription_auth
from ckanext.yiyang.subscription.logic import basis as subscription_basis
from ckanext.yiyang.subscription.logic import basis_auth as subscription_basis_auth

# The merged features, in the order their plugins had in ckan.plugins: a template of an earlier
# one is found first.
FEATURES = (
    "notify",
    "review",
    "subscription",
    "demand",
    "objection",
    "desk",
    "portal",
    "audit",
    "services",
    "exchange",
)


@tk.blanket.config_declarations(
    blanket.declarations(
        "",
        "notify",
        "subscription",
        "demand",
        "objection",
        "security",
        "portal",
        "audit",
        "services",
    )
)
@tk.blanket.cli(cli.commands)
@tk.blanket.helpers(
    blanket.members(
        helpers,
        catalog_helpers,
        notify_helpers,
        review_helpers,
        review_activity,
        subscription_helpers,
        demand_helpers,
        objection_helpers,
        portal_helpers,
        audit_helpers,
        data_helpers,
        datagate_helpers,
    )
)
@tk.blanket.actions(
    blanket.members(
        audit_datastore,  # outermost on the DataStore's actions: it logs what the others return
        security_action,  # first: its checks run before the catalog takes a code
        catalog_action,
        visibility.activity,
        visibility.guard,
        notify_action,
        review_action,
        subscription_action,
        subscription_basis,
        demand_action,
        objection_action,
        desk_action,
        portal_action,
        audit_action,
        services_action,
        data_action,
        datagate_actions,
        exchange_action,
        resilience_retry,  # innermost: only CKAN's own search is asked again
    )
)
@tk.blanket.auth_functions(
    blanket.members(
        catalog_auth,
        notify_auth,
        review_auth,
        subscription_auth,
        subscription_basis_auth,
        demand_auth,
        objection_auth,
        security_auth,
        desk_auth,
        portal_auth,
        audit_auth,
        services_auth,
        data_auth,
        datagate_auth,
    )
)
@tk.blanket.validators(blanket.members(catalog_validators, unit_validators))
@tk.blanket.blueprints(
    lambda: [
        notify_views.notify,
        review_views.review,
        subscription_views.subscription,
        demand_views.demand,
        objection_views.objection,
        desk_views.desk,
        portal_views.portal,
        services_views.services,
        data_views.data,
        visibility.guard.blueprint,
        audit_views.audit,
        exchange_views.exchange,
    ]
)
class YiyangPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPermissionLabels)
    p.implements(p.ISignal)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.IResourceController, inherit=True)
    p.implements(IXloader, inherit=True)

    # IConfigurer

    def update_config(self, config: CKANConfig) -> None:
        # Each directory added goes first: the base's own templates win, then notify's, …
        for feature in reversed(FEATURES):
            tk.add_template_directory(config, f"{feature}/templates")
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "yiyang")
        tk.add_resource("notify/assets", "yiyang_notify")
        # The to-do desk is where a clerk lands after logging in, unless the site chose
        # another page than CKAN's default.
        if config.get("ckan.auth.route_after_login") in (None, "", "dashboard.datasets"):
            config["ckan.auth.route_after_login"] = "yiyang_desk.index"
        # the local parameters of ckanext.yiyang.search.word_match = most (catalog/search.py);
        # a caller's own stay refused (visibility.query.check_local_parameters)
        parsers = tk.aslist(config.get("ckan.search.solr_allowed_query_parsers"))
        if "edismax" not in parsers:
            config["ckan.search.solr_allowed_query_parsers"] = [*parsers, "edismax"]

    # IMiddleware

    def make_middleware(self, app: Any, config: CKANConfig) -> Any:
        app.before_request(stock.refuse_group_pages)
        services_gate.install(app)
        datagate_routes.install(app)
        outage.install(app)
        return security.install(app)

    # IResourceController

    def before_resource_show(self, resource_dict: dict[str, Any]) -> dict[str, Any]:
        # A script's address stored before they were refused is never shown (nor linked).
        if not limits.safe_url(resource_dict.get("url")):
            resource_dict["url"] = ""
        return resource_dict

    def after_resource_create(self, context: Any, resource: dict[str, Any]) -> None:
        data_load.resource_saved(resource)

    def after_resource_update(self, context: Any, resource: dict[str, Any]) -> None:
        data_load.resource_saved(resource)

    def before_resource_delete(
        self, context: Any, resource: dict[str, Any], resources: list[dict[str, Any]]
    ) -> None:
        context["yiyang_deleted_resource"] = resource["id"]

    def after_resource_delete(self, context: Any, resources: list[dict[str, Any]]) -> None:
        if context.get("yiyang_deleted_resource"):
            data_load.resource_deleted(context["yiyang_deleted_resource"])

    # IXloader: this extension's job loads the data (ckanext.yiyang.data.load), with its own
    # encoding detection and checks; xloader's own job would load every file a second time.

    def can_upload(self, resource_id: str) -> bool:
        return False

    def after_upload(self, context: Any, resource_dict: Any, dataset_dict: Any) -> None:
        pass

    # ISignal

    def get_signal_subscriptions(self) -> SignalMapping:
        return blanket.signals(
            review_subscriptions,
            subscription_subscriptions,
            demand_subscriptions,
            objection_subscriptions,
            desk_subscriptions,
            data_subscriptions,
        )

    # IPackageController

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return search.index_fields(visibility.index.index_fields(pkg_dict))

    def before_dataset_search(self, search_params: dict[str, Any]) -> dict[str, Any]:
        viewer = visibility.viewer
        government = viewer.is_government(viewer.current_user_name())
        visibility.index.check_query(search_params, government)
        return search.search_params(
            search_params,
            visibility.index.query_fields(government),
            visibility.index.query_word_fields(government),
        )

    def after_dataset_search(
        self, search_results: dict[str, Any], search_params: dict[str, Any]
    ) -> dict[str, Any]:
        visibility.redaction.for_viewer(
            search_results.get("results", []), visibility.viewer.current_user_name()
        )
        return search.label_facets(search_results, _lang())

    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        # 有异议: an objection is open (issue 14.2); fresh, even from the search cache
        if pkg_dict.get("id"):
            pkg_dict["has_objection"] = objection_workflow.marked(pkg_dict["id"])
        if not context.get("ignore_auth"):
            visibility.redaction.for_viewer([pkg_dict], context.get("user"))
        return pkg_dict

    # IPermissionLabels

    def get_dataset_labels(self, dataset_obj: Any) -> list[str]:
        return self._labels.get_dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj: Any) -> list[str]:
        return self._labels.get_user_dataset_labels(user_obj)

    _labels = visibility.labels.Labels()

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
