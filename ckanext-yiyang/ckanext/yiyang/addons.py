"""What the add-ons ``yiyang_survey``, ``yiyang_book`` and ``yiyang_progress`` build on.

An add-on is a feature a deployment may switch off by leaving it out of ``ckan.plugins``; the
catalog's own rules (review, visibility, subscriptions, demands, notifications) are in the base
plugin ``yiyang`` and cannot be. Dependencies go one way: an add-on imports the base, the base
never an add-on — it learns of them through :class:`IYiyangCommands` and ``p.plugin_loaded``.
"""

from __future__ import annotations

import ckan.plugins as p
import click
from ckan.exceptions import CkanConfigurationException

BASE = "yiyang"


class IYiyangCommands(p.Interface):
    """Subcommands an add-on adds to ``ckan yiyang`` (present only while the add-on is
    loaded)."""

    def yiyang_commands(self) -> list[click.Command]:
        """The add-on's commands, each becoming ``ckan yiyang <name>``."""
        return []


def require_base(addon: str) -> None:
    """Stop the start when the add-on ``addon`` is enabled without the base plugin."""
    if not p.plugin_loaded(BASE):
        raise CkanConfigurationException(
            f"The plugin {addon} is an add-on of the plugin {BASE}: "
            f"list {BASE} in ckan.plugins, before {addon}."
        )
