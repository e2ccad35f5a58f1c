"""Who sees what (catalog-model §6), decided in this one package.

| viewer                       | published public/partial    | published internal | undisclosed / unpublished |
| anonymous, users of no unit  | yes (partial: public items) | no                 | no                        |
| members of any unit          | yes                         | yes                | no                        |
| the owning unit's members    | yes                         | yes                | yes                       |
| reviewers, sysadmins         | yes                         | yes                | yes                       |

The data resources of an entry shared on application are for the owning unit, reviewers and
the units it is shared with; the contacts' phone numbers and e-mail addresses for government
users. "Government users" are the members of a unit (or of the e-government office): anyone
may register an account on the portal, and an account alone must not open internal entries.

The same rule holds on every path out — pages, ``package_show``, ``package_search`` (results,
counts, facets), autocomplete, activity streams, exports, the catalog book:

- ``labels``: the permission labels of entries and viewers (which entries a viewer sees at
  all), CKAN's ``private`` flag, the relabelling of past activities;
- ``viewer``: who is looking, also outside a request (``viewing_as``);
- ``grants``: whose data a viewer may see; features grant more through its signal;
- ``columns``: which columns (信息项) of an entry's data a viewer may read;
- ``redaction``: what is cut out of an entry (and a unit's contacts) for a viewer, in every
  shape an entry leaves in;
- ``index``: what goes into the search index for whom, and the fields an outsider's query
  may not name;
- ``query``: the parameters and fields an outsider's search may carry;
- ``activity``: the activity actions, filtered the same way;
- ``guard``: CKAN's other actions that would show more (tags, formats, resources, members).
"""

from ckanext.yiyang.visibility import (
    activity,
    columns,
    grants,
    guard,
    index,
    labels,
    query,
    redaction,
    viewer,
)

__all__ = [
    "activity",
    "columns",
    "grants",
    "guard",
    "index",
    "labels",
    "query",
    "redaction",
    "viewer",
]
