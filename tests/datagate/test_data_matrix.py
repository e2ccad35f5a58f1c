"""The data-path visibility matrix (issue 13 point 4): every viewer × share type × data path,
each cell checked against the rows and columns that viewer may read — and no marker value of
a column the viewer may not read anywhere in the answer (0 leaks). The cells are generated;
the size is printed and recorded in the README note."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest

from .conftest import COLUMNS, LIMITED, PUBLIC, ROWS, SHARES, marker

pytestmark = pytest.mark.usefixtures("with_plugins")

VIEWERS = (
    "anonymous",
    "registered",
    "other",
    "approved",
    "expired",
    "lapsed",
    "revoked",
    "limited",
    "expiring",
    "withdrawn",
    "service",
    "owner",
    "reviewer",
    "sysadmin",
)
PATHS = (
    "download",
    "dump",
    "search",
    "search_fields",
    "search_filters",
    "search_q",
    "search_q_column",
    "info",
    "search_sql",
    "preview",
    "view_list",
)
ALL = frozenset(COLUMNS)
#: whose data each share type is (catalog-model §6, §7; 不予共享: the owning unit only — and
#: sysadmins, who run the servers; the office's reviewers review the entry, not its data)
READERS = {
    "unconditional": frozenset(VIEWERS),
    "conditional": frozenset(
        {"owner", "reviewer", "sysadmin", "approved", "limited", "service", "expiring"}
    ),
    "none": frozenset({"owner", "sysadmin"}),
}
OUTSIDERS = frozenset({"anonymous", "registered"})


def readable(viewer: str, share: str) -> frozenset[str] | None:
    """The columns ``viewer`` may read of the ``share`` entry's data; None: none at all."""
    if viewer not in READERS[share]:
        return None
    columns = PUBLIC if viewer in OUTSIDERS else ALL
    if share == "conditional" and viewer in ("limited", "service"):
        columns = columns & LIMITED
    return columns


def expected(viewer: str, share: str, path: str) -> tuple[Any, ...]:
    if path == "view_list" and share == "none" and viewer == "reviewer":
        # a view describes the resource (the 信息项 the reviewer reviews); it holds no data
        return ("served", ALL, None)
    columns = readable(viewer, share)
    if path == "search_sql":
        return ("served", ALL, ROWS) if viewer == "sysadmin" else ("refused",)
    if columns is None:
        return ("refused",)
    hidden = ALL - columns
    if path == "download":
        return ("redirect", "link") if not hidden else ("redirect", "dump")
    if path == "search_fields" and hidden:
        return ("invalid",)
    if path == "search_filters":
        # a filter on 注册资本 (internal) = row 1's value
        return ("invalid",) if "注册资本" in hidden else ("served", columns, 1)
    if path == "search_q":
        # full-text search for a value of 法定代表人 (internal)
        return ("invalid",) if hidden else ("served", columns, 1)
    if path == "search_q_column":
        return ("invalid",) if "法定代表人" in hidden else ("served", columns, 1)
    if path == "info":
        return ("served", columns, None)
    if path == "view_list":
        return ("served", columns, None)
    return ("served", columns, ROWS)


def _api(app: Any, headers: dict[str, str], action: str, data: dict[str, Any]) -> Any:
    return app.post(f"/api/3/action/{action}", json=data, headers=headers)


def _data_columns(names: Any) -> frozenset[str]:
    """The data columns among an answer's fields (not the row number, the search rank, the
    full-text vector an SQL ``*`` selects)."""
    return frozenset(
        n for n in names if n not in ("_id", "_full_text") and not n.startswith("rank")
    )


def _api_outcome(response: Any, rows_key: str = "records") -> tuple[Any, ...]:
    if response.status_code in (403, 404):
        return ("refused",)
    if response.status_code in (400, 409):
        return ("invalid",)
    assert response.status_code == 200, response.get_data(as_text=True)
    result = response.json["result"]
    columns = _data_columns(f["id"] for f in result["fields"])
    records = result.get(rows_key)
    return ("served", columns, len(records) if records is not None else None)


def observe(app: Any, world: dict[str, Any], viewer: str, share: str, path: str) -> Any:
    """(outcome, the answer's text) of ``viewer`` reading the ``share`` entry's data by
    ``path``."""
    headers = {} if viewer == "anonymous" else {"Authorization": world["tokens"][viewer]}
    entry, resource = world["entries"][share], world["resources"][share]
    rid = resource["id"]
    if path == "download":
        response = app.get(
            f"/dataset/{entry['id']}/resource/{rid}/download",
            headers=headers,
            follow_redirects=False,
        )
        text = response.get_data(as_text=True)
        if response.status_code in (403, 404):
            return ("refused",), text
        assert response.status_code in (301, 302), (response.status_code, text)
        where = response.headers["Location"]
        if where == resource["url"]:
            return ("redirect", "link"), where
        assert f"/datastore/dump/{rid}" in where, where
        return ("redirect", "dump"), where
    if path == "dump":
        response = app.get(
            f"/datastore/dump/{rid}", query_string={"format": "json"}, headers=headers
        )
        text = response.get_data(as_text=True)
        if response.status_code in (403, 404):
            return ("refused",), text
        assert response.status_code == 200, text
        dumped = json.loads(text)
        columns = _data_columns(f["id"] for f in dumped["fields"])
        return ("served", columns, len(dumped["records"])), text
    if path == "preview":
        response = app.post(
            f"/datatables/ajax/{world['views'][share]['id']}",
            data={"draw": "1", "start": "0", "length": "50", "search[value]": ""},
            headers=headers,
        )
        text = response.get_data(as_text=True)
        if response.status_code in (403, 404):
            return ("refused",), text
        assert response.status_code == 200, text
        data = json.loads(text)["data"]
        columns = frozenset(data[0]) - {"DT_RowId"} if data else frozenset()
        return ("served", columns, len(data)), text
    if path == "view_list":
        response = _api(app, headers, "resource_view_list", {"id": rid})
        text = response.get_data(as_text=True)
        if response.status_code in (403, 404):
            return ("refused",), text
        (view,) = response.json["result"]
        return ("served", frozenset(view["show_fields"]), None), text
    if path == "search_sql":
        response = _api(app, headers, "datastore_search_sql", {"sql": f'SELECT * FROM "{rid}"'})
        return _api_outcome(response), response.get_data(as_text=True)
    if path == "info":
        response = _api(app, headers, "datastore_info", {"id": rid})
        return _api_outcome(response), response.get_data(as_text=True)
    data: dict[str, Any] = {"resource_id": rid}
    if path == "search_fields":
        data["fields"] = list(COLUMNS)
    elif path == "search_filters":
        data["filters"] = {"注册资本": marker(share, "注册资本", 1)}
    elif path == "search_q":
        data["q"] = marker(share, "法定代表人", 2)
    elif path == "search_q_column":
        data["q"] = {"法定代表人": marker(share, "法定代表人", 2)}
    response = _api(app, headers, "datastore_search", data)
    return _api_outcome(response), response.get_data(as_text=True)


CELLS = list(itertools.product(VIEWERS, SHARES, PATHS))


def test_every_cell_of_the_data_matrix(make_app, data_world):
    app = make_app()
    mismatches, leaks = [], []
    for viewer, share, path in CELLS:
        outcome, text = observe(app, data_world, viewer, share, path)
        want = expected(viewer, share, path)
        if outcome != want:
            mismatches.append(f"{viewer} × {share} × {path}: {outcome} != {want}")
        served = readable(viewer, share) or frozenset()
        if path == "search_sql" and viewer == "sysadmin":
            served = ALL
        for column in sorted(ALL - served):
            for row in range(ROWS):
                if marker(share, column, row) in text:
                    leaks.append(f"{viewer} × {share} × {path}: {column} row {row}")
    size = len(CELLS)
    print(
        f"data-path matrix: {len(VIEWERS)} viewers × {len(SHARES)} share types × "
        f"{len(PATHS)} paths = {size} cells, {len(mismatches)} mismatches, {len(leaks)} leaks"
    )
    assert not mismatches, "\n".join(mismatches)
    assert not leaks, "\n".join(leaks)
    assert size == 462  # 14 viewers since the 2025 lifecycle (expiring, withdrawn)
