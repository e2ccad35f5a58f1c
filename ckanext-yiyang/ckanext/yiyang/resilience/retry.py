"""A search that met a Solr node going down is asked once more.

In SolrCloud the node the portal asks sends each shard's part of a search to a replica on
another node; a replica's node that stops while such a request is in flight makes the whole
search fail with HTTP 500 (Solr's log: ``SolrServerException: session closed``), and Solr does
not send again a request it had sent. SolrCloud's own clients retry a read on such an error;
CKAN asks Solr through one ``pysolr`` connection that does not. A search changes nothing, so
``package_search`` is asked again, once, after a short pause, when Solr answered with a server
error (5xx); the next try goes to the replicas still up. A refused query (4xx) or Solr out of
reach is answered at once, as before (``outage`` then tells the reader which service is down).
"""

from __future__ import annotations

import copy
import logging
import time
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search import SearchError, SolrConnectionError
from ckan.types import Action, Context, DataDict

log = logging.getLogger(__name__)

#: Seconds before the second try: long enough for Solr to mark the node gone.
PAUSE = 0.25

__all__ = ["package_search"]


def transient(error: SearchError) -> bool:
    """Solr answered the search with a server error (not a refused query, not out of reach)."""
    if isinstance(error, SolrConnectionError):
        return False
    return "(HTTP 5" in str(error)


@tk.side_effect_free
@tk.chained_action
def package_search(up_func: Action, context: Context, data_dict: DataDict) -> Any:
    """CKAN's ``package_search``, asked once more when Solr answered with a server error."""
    asked = copy.deepcopy(data_dict)  # the search changes what it is given
    try:
        return up_func(context, data_dict)
    except SearchError as error:
        if not transient(error):
            raise
        log.warning("search failed on a Solr server error, asked again: %s", str(error)[-300:])
        time.sleep(PAUSE)
        return up_func(context, asked)
