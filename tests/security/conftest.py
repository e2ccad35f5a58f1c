"""Fixtures of the security tests. The world they probe: two units, nine kinds of viewer, and entries of every
公开范围 × share type × review state, each carrying marker strings where §6 hides something —
its non-public 信息项, its data resource (name, URL, format), the review opinions about it —
and unit A's contacts carrying phone and e-mail markers. ``entitled`` says, per viewer, entry
and kind of marker, whether catalog-model §6 lets the viewer see it."""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests import factories

from ckanext.yiyang import config

SCOPES = ("public", "partial", "internal", "undisclosed")
SHARES = ("unconditional", "conditional", "none")
STATES = ("draft", "submitted", "returned", "published", "withdrawn")
VIEWERS = (
    "anonymous",
    "registered",
    "a_member",
    "a_editor",
    "a_admin",
    "b_editor",
    "reviewer",
    "sysadmin",
)
OWN_UNIT = frozenset({"a_member", "a_editor", "a_admin"})
ALL_SEEING = OWN_UNIT | {"reviewer", "sysadmin"}
GOVERNMENT = ALL_SEEING | {"b_editor"}

STEPS = {
    "draft": [],
    "submitted": ["submit"],
    "returned": ["submit", "return"],
    "published": ["submit", "approve"],
    "withdrawn": ["submit", "approve", "withdraw"],
}

#: Unit A's contact, whose phone numbers and e-mail address are for government users only.
CONTACT = {
    "name": "联络人甲",
    "position": "科长",
    "office_phone": "0737-4761953",
    "mobile": "13907374619",
    "email": "mkcontact@yiyang.gov.cn",
}
CONTACT_MARKERS = ("4761953", "13907374619", "mkcontact")


@dataclasses.dataclass(frozen=True)
class Entry:
    n: int
    scope: str
    share: str
    state: str
    id: str
    name: str
    resource_id: str

    def marker(self, kind: str) -> str:
        return f"mk{kind}{self.n:02d}x"


#: Kinds of per-entry marker, and where they are.
KINDS = ("title", "tag", "item", "url", "res", "fmt", "opinion")


def entry_visible(viewer: str, entry: Entry) -> bool:
    """§6: does the viewer see the entry at all."""
    if viewer in ALL_SEEING:
        return True
    if entry.state != "published":
        return False
    if viewer == "b_editor":
        return entry.scope != "undisclosed"
    return entry.scope in ("public", "partial")


def entitled(viewer: str, entry: Entry, kind: str) -> bool:
    """May ``viewer`` see the marker of ``kind`` of ``entry``."""
    if kind == "opinion":
        return viewer in ALL_SEEING
    if not entry_visible(viewer, entry):
        return False
    if kind == "item":
        return entry.scope != "partial" or viewer in GOVERNMENT
    if kind in ("url", "res", "fmt"):
        return entry.share == "unconditional" or viewer in ALL_SEEING
    return True


@dataclasses.dataclass
class World:
    entries: list[Entry]
    tokens: dict[str, str]
    users: dict[str, dict[str, Any]]
    unit_a: dict[str, Any]
    unit_b: dict[str, Any]
    #: (object type, id) of the latest activity of each entry of the ``sample``, and of unit
    #: A's own activities
    activities: list[tuple[str, str]] = dataclasses.field(default_factory=list)

    viewers = VIEWERS
    kinds = KINDS
    contact_markers = CONTACT_MARKERS
    government = GOVERNMENT
    entitled = staticmethod(entitled)
    entry_visible = staticmethod(entry_visible)

    @property
    def sample(self) -> list[Entry]:
        """For the paths asked one entry at a time beyond ``package_show``/``resource_show``:
        the published entries of every scope and share type, and a draft of every scope."""
        return [
            e
            for e in self.entries
            if e.state == "published" or (e.state == "draft" and e.share == "conditional")
        ]

    def by(self, scope: str, share: str, state: str) -> Entry:
        return next(
            e for e in self.entries if (e.scope, e.share, e.state) == (scope, share, state)
        )


def build(make_unit: Any, make_entry: Any, states: tuple[str, ...] = STATES) -> World:
    users = {
        name: factories.User()
        for name in ("registered", "a_member", "a_editor", "a_admin", "b_editor", "reviewer")
    }
    users["sysadmin"] = factories.Sysadmin()
    unit_a = make_unit(
        title="市国土资源局",
        leader=CONTACT,
        users=[
            {"name": users["a_member"]["name"], "capacity": "member"},
            {"name": users["a_editor"]["name"], "capacity": "editor"},
            {"name": users["a_admin"]["name"], "capacity": "admin"},
        ],
    )
    unit_b = make_unit(
        title="市统计局", users=[{"name": users["b_editor"]["name"], "capacity": "editor"}]
    )
    factories.Organization(
        name=config.office_org(),
        title="市电子政务办",
        users=[{"name": users["reviewer"]["name"], "capacity": "member"}],
    )
    admin = {"user": users["sysadmin"]["name"]}
    entries = []
    for n, (scope, share, state) in enumerate(itertools.product(SCOPES, SHARES, states)):
        mark = f"{n:02d}x"
        overrides: dict[str, Any] = {
            "title": f"安全矩阵条目mktitle{mark}",
            "tag_string": f"mktag{mark},mkall",
            "disclosure_scope": scope,
            "share_type": share,
            "data_items": [
                {"name": "公开字段甲", "data_type": "integer", "disclosure_scope": "public"},
                {
                    "name": f"内部字段mkitem{mark}",
                    "data_type": "integer",
                    "disclosure_scope": "internal",
                },
            ],
            "resources": [
                {
                    "name": f"数据文件mkres{mark}",
                    "url": f"http://data.example.com/mkurl{mark}/data.csv",
                    "format": f"mkfmt{mark}",
                }
            ],
        }
        if share == "unconditional":
            overrides["share_condition"] = ""
        pkg = make_entry(unit_a["id"], **overrides)
        for step in STEPS[state]:
            tk.get_action(f"yiyang_review_{step}")(
                dict(admin),
                {
                    "id": pkg["id"],
                    "opinion": f"意见mkopinion{mark}",
                    "reason": f"撤销mkopinion{mark}",
                },
            )
        entries.append(
            Entry(n, scope, share, state, pkg["id"], pkg["name"], pkg["resources"][0]["id"])
        )
    tokens = {name: factories.APIToken(user=user["name"])["token"] for name, user in users.items()}
    trusted = {"ignore_auth": True, "user": users["sysadmin"]["name"]}
    activities = [
        ("package", tk.get_action("package_activity_list")(dict(trusted), {"id": e.id})[0]["id"])
        for e in World(entries, {}, users, unit_a, unit_b).sample
    ]
    activities += [
        ("organization", a["id"])
        for a in tk.get_action("organization_activity_list")(
            dict(trusted),
            {"id": unit_a["id"], "activity_types": ["changed organization", "new organization"]},
        )
    ]
    return World(entries, tokens, users, unit_a, unit_b, activities)


def _built(make_unit: Any, make_entry: Any, states: tuple[str, ...]) -> World:
    """``build``, Solr committing once at the end rather than at each of the saves."""
    from ckan.lib.search.common import make_connection

    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(tk.config, "ckan.search.solr_commit", False)
        built = build(make_unit, make_entry, states)
    make_connection().commit(waitSearcher=True)
    return built


@pytest.fixture(scope="module")
def world(module_clean_db, make_unit, module_entry_factory) -> World:
    """The probed world (``build``), built once for the module: every review state."""
    return _built(make_unit, module_entry_factory, STATES)


@pytest.fixture(scope="module")
def small_world(module_clean_db, make_unit, module_entry_factory) -> World:
    """The world with its entries in two review states only: draft and published."""
    return _built(make_unit, module_entry_factory, ("draft", "published"))
