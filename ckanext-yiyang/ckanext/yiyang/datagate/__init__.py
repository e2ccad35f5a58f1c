"""The same rule on every data path (issue 13 point 4, catalog-model §6, §12).

Who may read an entry's data is ``visibility.grants``; which of its columns, ``visibility.columns``.
This package applies both where data leaves the portal:

- ``auth``: ``datastore_search``, ``datastore_info`` (and through them ``/datastore/dump``
  and the datatables preview): an entry the caller may not see is not found, data the caller
  may not read is refused; ``datastore_search_sql`` is for sysadmins only;
- ``actions``: ``datastore_search`` returns, filters, sorts and searches only the columns the
  caller may read; ``datastore_info`` describes only those; resource views name only those;
- ``routes``: the download of a resource's file or link, the dump and the preview's download,
  refused in Chinese (never a 500) before CKAN's view runs;
- ``signals``: ``yiyang_data_read``, sent once on every read, served or refused (``dumps``: a
  dump is one read, told when it has been streamed).
"""
