"""Issue 10, item 6: "Negotiation gaps: on `/doc`, `application/json` → JSON-LD, `text/plain` →
N-Triples, `application/n-quads` and `application/trig` → served, not 406; JSON-LD is compacted
with a `@context` and honours the JSON-LD `profile` parameter (expanded/compacted/flattened);
`text/*` on a SELECT → CSV or TSV, not XML; `text/turtle;q=abc` is not a 406."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
import rdflib
from pyld import jsonld

from tests.conftest import MONUMENT, iri

JSONLD = "http://www.w3.org/ns/json-ld#"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def get(url: str, accept: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}),
                                    timeout=20) as r:
            return r.status, r.headers["Content-Type"], r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def names(graph) -> set[str]:
    return {str(o) for o in graph.objects(rdflib.URIRef(iri(MONUMENT)), rdflib.URIRef(SKOS + "prefLabel"))}


@pytest.mark.parametrize("accept,media,rdflib_format", [
    ("application/json", "application/ld+json", "json-ld"),
    ("text/plain", "application/n-triples", "nt"),
    ("application/n-quads", "application/n-quads", "nquads"),
    ("application/trig", "application/trig", "trig"),
    ("text/turtle;q=abc", "text/turtle", "turtle"),
])
def test_document_is_served_for(live, accept, media, rdflib_format):
    status, content_type, body = get(f"{live}/doc/{MONUMENT}", accept)
    assert status == 200, body
    assert content_type.split(";")[0] == media
    graph = rdflib.Dataset() if rdflib_format in ("nquads", "trig") else rdflib.Graph()
    graph.parse(data=body, format=rdflib_format)
    assert "Ana harayı" in names(graph)


def test_jsonld_is_compacted_with_a_context(live):
    status, content_type, body = get(f"{live}/doc/{MONUMENT}", "application/ld+json")
    assert status == 200
    assert f'profile="{JSONLD}compacted"' in content_type
    doc = json.loads(body)
    assert doc["@context"]["skos"] == SKOS
    assert doc["@context"]["id"] == iri("")
    text = body.decode()
    assert '"skos:prefLabel"' in text and f'"{SKOS}prefLabel"' not in text
    assert "Ana harayı" in names(rdflib.Graph().parse(data=body, format="json-ld"))


@pytest.mark.parametrize("profile,form", [
    (f"{JSONLD}expanded", "expanded"),
    (f"{JSONLD}compacted", "compacted"),
    (f"{JSONLD}flattened", "flattened"),
    (f"{JSONLD}flattened {JSONLD}compacted", "flattened compacted"),
])
def test_jsonld_profile_is_honoured(live, profile, form):
    status, content_type, body = get(f"{live}/doc/{MONUMENT}", f'application/ld+json;profile="{profile}"')
    assert status == 200
    assert content_type.endswith(f'profile="{profile}"')
    doc = json.loads(body)
    if form == "expanded":
        assert isinstance(doc, list) and "@context" not in body.decode()
        assert jsonld.expand(doc) == jsonld.expand(jsonld.expand(doc))
        assert any(SKOS + "prefLabel" in node for node in doc)
    elif form == "compacted":
        assert "@context" in doc and "skos:prefLabel" in body.decode()
    elif form == "flattened":
        # Flattened form: one flat list of node objects, no nesting, no context.
        assert isinstance(doc, list)
        for node in doc:
            for key, values in node.items():
                if key.startswith("@"):
                    continue
                for value in values:
                    assert set(value) <= {"@id"} or "@value" in value
    else:
        assert "@context" in doc and isinstance(doc["@graph"], list)
    assert "Ana harayı" in names(rdflib.Graph().parse(data=body, format="json-ld"))


def test_profiles_give_the_same_graph(live):
    graphs = []
    for profile in ("expanded", "compacted", "flattened"):
        _s, _c, body = get(f"{live}/doc/{MONUMENT}", f'application/ld+json;profile="{JSONLD}{profile}"')
        graphs.append(rdflib.Graph().parse(data=body, format="json-ld"))
    from rdflib.compare import isomorphic

    assert isomorphic(graphs[0], graphs[1]) and isomorphic(graphs[1], graphs[2])


@pytest.mark.parametrize("accept", ["text/*", "text/*, application/sparql-results+xml;q=0.5"])
def test_text_wildcard_on_a_select_is_csv_or_tsv(live, accept):
    query = f"SELECT ?n WHERE {{ <{iri(MONUMENT)}> <{SKOS}prefLabel> ?n }}"
    status, content_type, body = get(f"{live}/sparql?" + urllib.parse.urlencode({"query": query}), accept)
    assert status == 200
    assert content_type.split(";")[0] in ("text/csv", "text/tab-separated-values")
    assert "Ana harayı" in body.decode()


def test_malformed_q_value_is_not_a_406(live):
    query = f"CONSTRUCT WHERE {{ <{iri(MONUMENT)}> <{SKOS}prefLabel> ?n }}"
    status, content_type, _body = get(f"{live}/sparql?" + urllib.parse.urlencode({"query": query}),
                                      "text/turtle;q=abc")
    assert status == 200 and content_type.startswith("text/turtle")
