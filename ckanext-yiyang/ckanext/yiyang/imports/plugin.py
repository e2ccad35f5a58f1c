"""Plugin ``yiyang_import``: imports of filled survey workbooks (catalog-model §10)."""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import CKANConfig

from ckanext.yiyang.imports import views
from ckanext.yiyang.imports.logic import action, auth


@tk.blanket.actions(action)
@tk.blanket.auth_functions(auth)
@tk.blanket.blueprints(lambda: [views.imports])
@tk.blanket.config_declarations
class YiyangImportPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)

    def update_config(self, config: CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
