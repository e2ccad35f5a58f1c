"""The access audit log (使用记录, issue 13 point 6, catalog-model §12): every read of data —
download, dump, DataStore search and SQL, preview, API — appended with who (user, units, API
token), what (entry, resource, columns, rows), how, when, from where and whether it was served.

- ``record``: :func:`record.record`, what every data path calls;
- ``model``: the append-only table (its trigger refuses UPDATE and DELETE);
- ``logic``: ``yiyang_access_log_list`` (who sees which reads), its auth and schema;
- ``views``: ``/access-log`` with filters, paging and an Excel export, and the record of
  CKAN's resource download route;
- ``datastore``: the DataStore actions, chained to record each call.
"""

from ckanext.yiyang.audit.record import record

__all__ = ["record"]
