"""Issue 10, item 7: "Relative IRIs in queries resolve against the endpoint URL; positive
syntax tests of the W3C suite that use them must pass." Before, a query with a relative IRI
was refused as malformed (400: "IRI parsing failed"), as the W3C protocol test
`query_content_type_construct` showed."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import rdflib


def get(live: str, query: str, accept: str) -> tuple[int, bytes]:
    url = f"{live}/sparql?" + urllib.parse.urlencode({"query": query})
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}),
                                timeout=20) as r:
        return r.status, r.read()


def test_relative_iris_resolve_against_the_endpoint(live):
    status, body = get(live, "SELECT (<relative/thing> AS ?iri) (<> AS ?here) WHERE {}",
                       "application/sparql-results+json")
    assert status == 200
    row = json.loads(body)["results"]["bindings"][0]
    assert row["iri"]["value"] == f"{live}/relative/thing"
    assert row["here"]["value"] == f"{live}/sparql"


def test_construct_with_relative_iris(live):
    status, body = get(live, "CONSTRUCT { <s> <p> <o> } WHERE {}", "application/n-triples")
    assert status == 200
    graph = rdflib.Graph().parse(data=body, format="nt")
    assert set(graph) == {(rdflib.URIRef(f"{live}/s"), rdflib.URIRef(f"{live}/p"),
                           rdflib.URIRef(f"{live}/o"))}


def test_a_base_in_the_query_still_wins(live):
    _status, body = get(live, "BASE <http://example.org/a/> SELECT (<b> AS ?iri) WHERE {}",
                        "application/sparql-results+json")
    assert json.loads(body)["results"]["bindings"][0]["iri"]["value"] == "http://example.org/a/b"
