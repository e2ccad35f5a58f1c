"""The plugin ``yiyang_harvester``: our harvester (source type ``yiyang``) for ckanext-harvest,
harvested entries read-only, harvests on the job worker, sources managed by the office.
Needs ``yiyang`` and ckanext-harvest's ``harvest`` (loaded before it)."""

from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.yiyang import blanket
from ckanext.yiyang.harvest import action, auth, guard
from ckanext.yiyang.harvest.harvester import YiyangHarvester


@tk.blanket.actions(blanket.members(guard, action))
class YiyangHarvesterPlugin(YiyangHarvester):
    p.implements(p.IAuthFunctions)

    def get_auth_functions(self) -> dict[str, Any]:
        return auth.auth_functions()
