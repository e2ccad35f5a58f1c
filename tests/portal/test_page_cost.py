"""What an entry page and the search page ask of Solr and how often they lay out their sidebar
(issue 16: at 95,732 entries CKAN's own unit box and its double sidebar were most of a page)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pysolr
import pytest
from ckan.tests import factories

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")


@pytest.fixture
def solr_searches(monkeypatch) -> Iterator[list[dict]]:
    """Every search sent to Solr while the test runs (the requests go to Solr as always)."""
    sent: list[dict] = []
    real = pysolr.Solr.search

    def counted(self, q, **kwargs):
        sent.append({"q": q, **kwargs})
        return real(self, q, **kwargs)

    monkeypatch.setattr(pysolr.Solr, "search", counted)
    yield sent


def test_an_entry_page_shows_its_unit_box_and_asks_solr_once(
    app, make_unit, entry_factory, solr_searches
):
    unit = make_unit(title="市民政局", unit_group="02", unit_code="031")
    for n in range(3):  # the unit's members and entries are what CKAN's box counted
        factories.User(name=f"member-{n}")
    entry = entry_factory(owner_org=unit["id"], published=True, disclosure_scope="public")
    solr_searches.clear()
    body = app.get(f"/dataset/{entry['name']}").body
    assert body.count('id="organization-info"') == 1
    box = body[body.index('id="organization-info"') :]
    assert "市民政局" in box[:2000]
    assert "031" in box[:2000]
    # package_show's read of its cached entry; not the unit's entry count, not once per
    # package_show of the data panel's helpers
    assert len(solr_searches) == 1, solr_searches


def test_the_search_page_lays_out_its_sidebar_once(app, entry_factory, monkeypatch):
    from ckan.lib import helpers

    entry_factory(published=True, disclosure_scope="public")
    asked: list[str] = []
    real = helpers.helper_functions["get_facet_items_dict"]

    def get_facet_items_dict(facet, *args, **kwargs):
        asked.append(facet)
        return real(facet, *args, **kwargs)

    monkeypatch.setitem(helpers.helper_functions, "get_facet_items_dict", get_facet_items_dict)
    body = app.get("/dataset/").body
    assert asked, "the facets are listed in the sidebar"
    # CKAN's facet_list asks twice for its items; a sidebar laid out twice asked four times
    assert max(Counter(asked).values()) == 2, asked
    assert body.count('class="secondary col-md-3"') == 1
    assert re.search(r'class="row wrapper"', body)  # a sidebar: no no-nav


def test_a_page_without_a_sidebar_still_gets_no_nav(app):
    body = app.get("/about").body  # CKAN's about page empties the sidebar
    assert re.search(r'class="row wrapper[^"]*no-nav', body)
