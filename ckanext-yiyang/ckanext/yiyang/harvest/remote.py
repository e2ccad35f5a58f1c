"""Reading a remote catalog through CKAN's action API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import requests

#: Entries per page of ``package_search`` (CKAN's default ``ckan.search.rows_max``).
PAGE_ROWS = 1000
TIMEOUT = 60


class RemoteError(Exception):
    """The remote catalog did not answer as a CKAN action API does."""


class Remote:
    """The action API of the catalog at ``base`` (``http://host/``), with an optional token."""

    def __init__(self, base: str, api_key: str | None = None) -> None:
        self.base = base.rstrip("/")
        self.session = requests.Session()
        if api_key:
            self.session.headers["Authorization"] = api_key

    def action(self, name: str, **params: Any) -> Any:
        url = f"{self.base}/api/3/action/{name}"
        try:
            response = self.session.post(url, json=params, timeout=TIMEOUT)
            body = response.json()
        except (requests.RequestException, ValueError) as error:
            raise RemoteError(f"{url}: {error}") from error
        if not body.get("success"):
            raise RemoteError(f"{url}: {body.get('error')}")
        return body["result"]

    def site_url(self) -> str:
        """The remote portal's own address (``ckan.site_url``): the origin of its entries."""
        return str(self.action("status_show").get("site_url") or self.base).rstrip("/")

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every entry the remote shows this reader, full dicts, in a stable order."""
        start = 0
        while True:
            page = self.action(
                "package_search",
                q="*:*",
                fq="+dataset_type:dataset",
                sort="id asc",
                rows=PAGE_ROWS,
                start=start,
                include_private=True,
            )
            results = page.get("results") or []
            yield from results
            start += len(results)
            if not results or start >= int(page.get("count") or 0):
                return

    def organization(self, name: str) -> dict[str, Any]:
        return dict(self.action("organization_show", id=name, include_datasets=False))
