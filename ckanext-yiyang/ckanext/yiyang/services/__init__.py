"""Data service accounts of the units (issue 13 point 5, catalog-model §12): a unit's admin
creates an account for one of the unit's systems — a CKAN user of the unit in the capacity
``member``, with one CKAN API token shown once and an expiry — and revokes it. The account
reads what a member of its unit reads (permission labels, grants), nothing more.

- :mod:`.model`: the accounts (``yiyang_service_account``);
- :mod:`.logic`: ``yiyang_service_account_create``, ``_list``, ``_revoke`` and their auth;
- :mod:`.gate`: the request hooks — expired or revoked tokens refused (403), the rate limit per
  token (429 with ``Retry-After``), the calls per day, no web login for service accounts;
- :mod:`.views`: the unit's 数据服务 page (``/organization/<unit>/services``).
"""

from __future__ import annotations

from typing import Any

#: The key of ``user.plugin_extras`` that marks a service account (value: the account's id).
MARK = "yiyang_service_account"  # roles.SERVICE_MARK
#: The prefix of the user names of service accounts.
PREFIX = "svc-"


def is_service_user(user: Any) -> bool:
    """Whether ``user`` (a ``model.User``) is a service account."""
    extras = getattr(user, "plugin_extras", None) or {}
    return MARK in extras
