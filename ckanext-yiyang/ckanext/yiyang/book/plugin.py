"""Plugin ``yiyang_book``, an add-on of ``yiyang``: the catalog book 《益阳市电子政务信息资源目录》
(PDF and Excel, internal and public editions; catalog-model §10)."""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import click
from ckan.common import CKANConfig

from ckanext.yiyang import addons
from ckanext.yiyang.book import cli, views
from ckanext.yiyang.book.logic import action, auth


@tk.blanket.config_declarations
@tk.blanket.actions(action)
@tk.blanket.auth_functions(auth)
@tk.blanket.blueprints(lambda: [views.book])
class YiyangBookPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(addons.IYiyangCommands)

    def update_config(self, config: CKANConfig) -> None:
        addons.require_base(self.name)
        tk.add_template_directory(config, "templates")

    def yiyang_commands(self) -> list[click.Command]:
        return [cli.book]
