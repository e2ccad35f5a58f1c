"""Plugin ``yiyang_demand``: demands (资源需求, catalog-model §8)."""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import CKANConfig

from ckanext.yiyang.demand import helpers, subscriptions, views
from ckanext.yiyang.demand.logic import action, auth


@tk.blanket.actions(action)
@tk.blanket.auth_functions(auth)
@tk.blanket.helpers(helpers)
@tk.blanket.blueprints(lambda: [views.demand])
class YiyangDemandPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.ISignal)

    def update_config(self, config: CKANConfig) -> None:
        tk.add_template_directory(config, "templates")

    def get_signal_subscriptions(self):
        return subscriptions.get_subscriptions()
