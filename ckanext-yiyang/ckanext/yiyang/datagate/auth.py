"""CKAN's DataStore auth functions, chained to follow §6 (catalog-model §12).

``datastore_search`` and ``datastore_info`` (and ``/datastore/dump`` and the datatables
preview, which ask ``datastore_search``): the data of an entry the caller may not see is not
found, as data that does not exist; the data of an entry shared on application is refused to
those it is not shared with (``visibility.grants``), in Chinese. ``datastore_search_sql``
would read any column of any table: refused to everyone but sysadmins.
"""

from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.types import Action, AuthResult, Context, DataDict

from ckanext.yiyang.datagate import gate, signals

__all__ = ["datastore_info", "datastore_search", "datastore_search_sql"]


def blanket_active() -> bool:
    """Chain the DataStore's auth functions only while the ``datastore`` plugin is loaded."""
    return p.plugin_loaded("datastore")


def _resource_id(data_dict: DataDict) -> str:
    return str(data_dict.get("resource_id") or data_dict.get("id") or "")


def _entry_rule(next_auth: Action, context: Context, data_dict: DataDict) -> AuthResult:
    refused = gate.refusal(context, _resource_id(data_dict))
    if isinstance(refused, tk.ObjectNotFound):
        raise refused
    if refused is not None:
        return {"success": False, "msg": str(refused.message or gate.shared_on_application())}
    return next_auth(context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_search(next_auth: Action, context: Context, data_dict: DataDict) -> AuthResult:
    """Readers of the entry's data (``visibility.grants``); not found for entries the caller
    may not see."""
    return _entry_rule(next_auth, context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_info(next_auth: Action, context: Context, data_dict: DataDict) -> AuthResult:
    """As ``datastore_search``."""
    return _entry_rule(next_auth, context, data_dict)


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_search_sql(next_auth: Action, context: Context, data_dict: DataDict) -> AuthResult:
    """Sysadmins only: an SQL statement could read the columns and tables §6 hides."""
    user = context.get("user")
    tables = list(context.get("table_names") or [])
    if gate.trusted(context):
        for table in tables:
            signals.send(user, "datastore_search_sql", table, signals.SERVED)
        return next_auth(context, data_dict)
    reason = tk._(
        "SQL queries on the data are for system administrators only: use datastore_search"
    )
    for table in tables or [None]:
        signals.send(user, "datastore_search_sql", table, signals.REFUSED, reason=reason)
    return {"success": False, "msg": reason}
