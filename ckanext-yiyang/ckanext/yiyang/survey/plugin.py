"""Plugin ``yiyang_survey``: the survey forms: template downloads and exports of search results and unit catalogs (catalog-model §10)."""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import CKANConfig

from ckanext.yiyang.survey import helpers, views


@tk.blanket.config_declarations
@tk.blanket.helpers(helpers)
@tk.blanket.blueprints(lambda: [views.survey])
class YiyangSurveyPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)

    def update_config(self, config: CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
