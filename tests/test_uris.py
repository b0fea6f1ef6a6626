"""Canonical IRIs (uris.py) and local paths (web/urls.py)."""

from __future__ import annotations

from memorial_graph.uris import ID_PATTERN, Uris
from memorial_graph.web.urls import Urls


def test_iris_are_minted_under_the_base_whatever_its_trailing_slash():
    uris = Uris("https://example.org/memorial")
    assert uris.entity("abc1234") == "https://example.org/memorial/id/abc1234"
    assert uris.collection_graph == "https://example.org/memorial/graph/collection"
    assert uris.dataset == "https://example.org/memorial/void#dataset"


def test_local_id_only_for_our_identifiers():
    uris = Uris()
    assert uris.local_id(uris.entity("pfft2yk")) == "pfft2yk"
    assert uris.local_id(uris.entity("mvrb6zm") + "#ev1") == "mvrb6zm"
    assert uris.local_id("http://www.wikidata.org/entity/Q9248") is None
    assert uris.local_id(uris.entity("")) is None


def test_identifiers_are_opaque_tokens():
    assert ID_PATTERN.match("pfft2yk") and ID_PATTERN.match("abc-123")
    for bad in ("ab", "Pfft2yk", "ana harayı", "x" * 33, "-abc", "../etc"):
        assert not ID_PATTERN.match(bad), bad


def test_href_sends_browsers_to_our_pages_and_leaves_other_iris():
    urls = Urls(Uris())
    assert urls.href(Uris().entity("pfft2yk")) == "/doc/pfft2yk"
    assert urls.href(Uris().entity("mvrb6zm") + "#value") == "/doc/mvrb6zm#value"
    assert urls.href("http://www.wikidata.org/entity/Q9248") == "http://www.wikidata.org/entity/Q9248"


def test_paths_with_formats_and_parameters():
    urls = Urls(Uris())
    assert urls.doc("pfft2yk", "ttl") == "/doc/pfft2yk.ttl"
    assert urls.identifier("pfft2yk") == "/id/pfft2yk"
    assert urls.void("jsonld") == "/void.jsonld"
    assert urls.sitemap() == "/sitemap.xml" and urls.sitemap(2) == "/sitemap-2.xml"
    assert urls.sparql(query="ASK {}", format="csv") == "/sparql?query=ASK+%7B%7D&format=csv"
    assert urls.saved_query("monument-makers", monument="x y") == \
        "/queries/monument-makers?monument=x+y"
    assert urls.query_page() == "/query"
