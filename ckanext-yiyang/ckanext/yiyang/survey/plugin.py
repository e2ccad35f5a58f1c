"""Plugin ``yiyang_survey``, an add-on of ``yiyang``: the survey forms of the notice (附件2, 附件3,
附件4) — template downloads, exports of search results and unit catalogs as workbooks, and
imports of filled workbooks (``imports/``) — catalog-model §10."""

from __future__ import annotations

import pathlib

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import click
from ckan.common import CKANConfig

from ckanext.yiyang import addons, blanket
from ckanext.yiyang import imports as imports_package
from ckanext.yiyang.imports import cli as imports_cli
from ckanext.yiyang.imports import views as imports_views
from ckanext.yiyang.imports.logic import action as imports_action
from ckanext.yiyang.imports.logic import auth as imports_auth
from ckanext.yiyang.survey import cli, helpers, views

IMPORTS_TEMPLATES = pathlib.Path(imports_package.__file__).parent / "templates"


@tk.blanket.config_declarations(blanket.declarations("survey", "imports"))
@tk.blanket.actions(blanket.members(imports_action))
@tk.blanket.auth_functions(blanket.members(imports_auth))
@tk.blanket.helpers(helpers)
@tk.blanket.blueprints(lambda: [views.survey, imports_views.imports])
class YiyangSurveyPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(addons.IYiyangCommands)

    def update_config(self, config: CKANConfig) -> None:
        addons.require_base(self.name)
        # Added first, found after the survey's own.
        tk.add_template_directory(config, str(IMPORTS_TEMPLATES))
        tk.add_template_directory(config, "templates")

    def yiyang_commands(self) -> list[click.Command]:
        return [cli.template, imports_cli.import_workbook]
