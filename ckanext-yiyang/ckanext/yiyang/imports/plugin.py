"""Plugin ``yiyang_import``: imports of filled survey workbooks (catalog-model §10)."""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import CKANConfig


class YiyangImportPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)

    def update_config(self, config: CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
