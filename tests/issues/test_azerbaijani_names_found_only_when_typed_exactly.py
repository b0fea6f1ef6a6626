"""Issue 12: "No search box anywhere; names with Azerbaijani letters are found only when typed
exactly." (Before: no page had a search box and /search was 404; the `label-search` saved
query matched "harayı" but not `harayi` or `HARAYI`.)"""

from __future__ import annotations

import pytest

from tests.conftest import MONUMENT, iri


@pytest.mark.parametrize("typed", ["harayi", "HARAYI", "abide"])
def test_the_memorial_is_found_as_a_reader_types_it(client, typed):
    r = client.get("/search.json", query_string={"q": typed})
    assert r.status_code == 200
    assert [hit["iri"] for hit in r.get_json()["results"]] == [iri(MONUMENT)]


@pytest.mark.parametrize("path", ["/", f"/doc/{MONUMENT}", "/index/places", "/query", "/void"])
def test_every_page_has_a_search_box(client, path):
    body = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert '<form class="site-search" action="/search" method="get" role="search"' in body
