"""Plugin ``yiyang_progress``, an add-on of ``yiyang``: the progress view (督促检查) of each unit
for the office (catalog-model §10)."""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import CKANConfig

from ckanext.yiyang import addons
from ckanext.yiyang.progress import config as progress_config
from ckanext.yiyang.progress import helpers, views
from ckanext.yiyang.progress.logic import action, auth


@tk.blanket.config_declarations
@tk.blanket.actions(action)
@tk.blanket.auth_functions(auth)
@tk.blanket.helpers(helpers)
@tk.blanket.blueprints(lambda: [views.progress])
class YiyangProgressPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)

    def update_config(self, config: CKANConfig) -> None:
        addons.require_base(self.name)
        tk.add_template_directory(config, "templates")

    def configure(self, config: CKANConfig) -> None:
        # A deadline that is not a date stops the start, naming the option.
        progress_config.deadlines()
