"""Plugin ``yiyang_book``: the catalog book 《益阳市电子政务信息资源目录》 (PDF and Excel, internal and public editions; catalog-model §10)."""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import CKANConfig

from ckanext.yiyang.book import views
from ckanext.yiyang.book.logic import action, auth


@tk.blanket.config_declarations
@tk.blanket.actions(action)
@tk.blanket.auth_functions(auth)
@tk.blanket.blueprints(lambda: [views.book])
class YiyangBookPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)

    def update_config(self, config: CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
