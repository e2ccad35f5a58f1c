"""The forms of the data panel on an entry's page: adopt a file's columns as 信息项, load a
file again. Views call actions only."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint

data = Blueprint("yiyang_data", __name__)

ACTIONS = {"adopt": "yiyang_data_items_adopt", "load": "yiyang_data_load"}


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else None}


@data.route("/dataset/<id>/data/<resource_id>/<action>", methods=["POST"])
def act(id: str, resource_id: str, action: str) -> Any:
    if action not in ACTIONS:
        return tk.abort(404)
    try:
        tk.get_action(ACTIONS[action])(_context(), {"resource_id": resource_id})
        tk.h.flash_success(
            tk._(
                "The file's columns were adopted as data items; a published entry's change now waits for review."
            )
            if action == "adopt"
            else tk._("The file will be loaded again in the background.")
        )
    except tk.NotAuthorized as error:
        tk.h.flash_error(str(error) or tk._("Not authorized"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Catalog entry not found"))
    except tk.ValidationError as error:
        for messages in error.error_dict.values():
            tk.h.flash_error(" ".join(str(m) for m in messages))
    return tk.redirect_to("dataset.read", id=id, _anchor="data-state")
