"""Search through Flask's test client over the session's real release and its index."""

from __future__ import annotations

import sqlite3

import pytest

from memorial_graph.web import create_app
from tests.conftest import MASSACRE, MONUMENT, SOURCE_NEWS, iri


@pytest.fixture(scope="module")
def client(config):
    return create_app(config).test_client()


def hits(client, q, **params):
    r = client.get("/search.json", query_string={"q": q, **params})
    assert r.status_code == 200, r.data
    return r.get_json()


@pytest.mark.parametrize("typed", ["harayi", "HARAYI", "abide", "Harayı", "ANA HARAYI"])
def test_the_memorial_is_found_ignoring_case_and_azerbaijani_letters(client, typed):
    found = hits(client, typed)
    assert [r["iri"] for r in found["results"]] == [iri(MONUMENT)]
    first = found["results"][0]
    assert (first["href"], first["kind"], first["label"]) == \
        (f"/doc/{MONUMENT}", "monuments", "Mother's Cry")
    assert "Ana harayı abidəsi" in [m["text"] for m in first["matches"]]


def test_abide_shows_the_azerbaijani_name_it_matched(client):
    found = hits(client, "abide")
    names = [m["text"] for m in found["results"][0]["matches"]]
    assert names == ["Ana harayı abidəsi"]


def test_a_whole_name_ranks_first_then_bm25(client):
    found = hits(client, "khojaly")
    assert found["total"] >= 5
    first, *rest = found["results"]
    assert first["label"] == "Khojaly" and first["kind"] == "places"
    scores = [r["score"] for r in rest]
    assert scores == sorted(scores, reverse=True)
    # a record named with the word outranks one that only mentions it in a text
    named = [i for i, r in enumerate(rest) if any(m["field"] == "name" for m in r["matches"])]
    mentioned = [i for i, r in enumerate(rest) if all(m["field"] == "text" for m in r["matches"])]
    assert named and mentioned and max(named) < min(mentioned)
    assert hits(client, "Khojaly massacre")["results"][0]["iri"] == iri(MASSACRE)


def test_a_kind_filters_and_every_kind_is_counted(client):
    everything = hits(client, "Khojaly")
    only_sources = hits(client, "Khojaly", kind="sources")
    assert only_sources["results"] and all(r["kind"] == "sources" for r in only_sources["results"])
    assert only_sources["total"] == everything["kinds"]["sources"] < everything["total"]
    assert only_sources["kinds"] == everything["kinds"]
    by_class = hits(client, "Khojaly", kind="Article")
    assert [r["iri"] for r in by_class["results"]] == [iri(SOURCE_NEWS)]


def test_an_unknown_kind_is_404_and_an_empty_query_400(client):
    assert client.get("/search.json?q=x&kind=nonsense").status_code == 404
    assert client.get("/search.json?q=").status_code == 400
    assert client.get("/search.json?q=x&page=0").status_code == 400


def test_json_by_negotiation_and_html_for_browsers(client):
    r = client.get("/search?q=harayi", headers={"Accept": "application/json"})
    assert r.mimetype == "application/json" and r.get_json()["total"] >= 1
    page = client.get("/search?q=harayi", headers={"Accept": "text/html"})
    assert page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert f'href="/doc/{MONUMENT}"' in text
    assert "<mark>harayı</mark>" in text
    assert 'action="/search"' in text


def test_a_text_that_is_no_fts_syntax_is_searched_as_words(client):
    found = hits(client, 'harayi" OR NEAR(*')
    assert found["total"] == 0


def test_every_page_has_the_search_box(client):
    for path in ("/", f"/doc/{MONUMENT}", "/query", "/index/people"):
        text = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert 'role="search"' in text and 'name="q"' in text, path


def test_the_index_is_part_of_the_release(release):
    con = sqlite3.connect(release.search_index)
    (n,) = con.execute("SELECT count(*) FROM entry").fetchone()
    con.close()
    assert n == release.manifest["search_entries"] > 0
