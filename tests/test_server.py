"""Integration: the real server (`memorial-graph serve`) on 127.0.0.1, queried with SPARQLWrapper."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, N3, TSV, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

from tests.conftest import MONUMENT, SOURCE_GUIDE, SOURCE_NEWS, iri
from tests.server import running_publisher

NAMES = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
         f"SELECT ?name WHERE {{ <{iri(MONUMENT)}> skos:prefLabel|skos:altLabel ?name }} ORDER BY ?name")
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module", params=["embedded", "in-memory", "oxigraph", "virtuoso"])
def server(built, request):
    """The same tests run over the embedded store (on disk and in memory) and over real
    Oxigraph and Virtuoso servers."""
    config, _release = built
    with running_publisher(config.project_dir, request.param, "--timeout", "3") as base:
        yield base


def wrapper(server: str, query: str, fmt, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(f"{server}/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    sparql.setTimeout(20)
    return sparql


def expected_names(store) -> list[str]:
    return sorted(r["name"].value for r in store.select(NAMES))


def test_json_results(server, store):
    for method in ("GET", "POST"):
        result = wrapper(server, NAMES, JSON, method).queryAndConvert()
        assert sorted(b["name"]["value"] for b in result["results"]["bindings"]) == \
            expected_names(store)


def test_xml_results(server, store):
    doc = wrapper(server, NAMES, XML).queryAndConvert()
    values = sorted(n.firstChild.data for n in doc.getElementsByTagName("literal"))
    assert values == expected_names(store)


def test_csv_results(server, store):
    text = wrapper(server, NAMES, CSV).queryAndConvert().decode("utf-8")
    assert sorted(text.splitlines()[1:]) == expected_names(store)


def test_tsv_results(server, store):
    text = wrapper(server, NAMES, TSV).queryAndConvert().decode("utf-8")
    rows = sorted(line.rsplit("@", 1)[0].strip('"') for line in text.splitlines()[1:])
    assert rows == expected_names(store)


def test_construct_as_turtle(server):
    query = f"CONSTRUCT {{ <{iri(MONUMENT)}> ?p ?o }} WHERE {{ <{iri(MONUMENT)}> ?p ?o }}"
    sparql = wrapper(server, query, N3)
    graph = sparql.queryAndConvert()
    if isinstance(graph, bytes):
        graph = rdflib.Graph().parse(data=graph, format="turtle")
    assert (rdflib.URIRef(iri(MONUMENT)), None, None) in graph


def test_ask(server):
    assert wrapper(server, "ASK { ?s ?p ?o }", JSON).queryAndConvert()["boolean"] is True


def test_malformed_query_is_reported_as_bad_formed(server):
    with pytest.raises(QueryBadFormed) as info:
        wrapper(server, "SELECT * WHERE { ?s ?p }", JSON).query()
    assert "malformed query" in str(info.value)


@pytest.mark.parametrize("ext,fmt", [("ttl", "turtle"), ("jsonld", "json-ld"), ("rdf", "xml"),
                                     ("nt", "nt")])
def test_every_entity_in_every_format_carries_its_sources(server, store, ext, fmt):
    entities = [r["entity"].value for r in store.select(
        "SELECT DISTINCT ?entity WHERE { ?c <http://www.cidoc-crm.org/cidoc-crm/P140_assigned_attribute_to> ?entity }")]
    assert len(entities) >= 30
    has_source = rdflib.URIRef("http://www.w3.org/ns/oa#hasSource")
    for entity in entities:
        ident = entity.rsplit("/", 1)[-1]
        with urllib.request.urlopen(f"{server}/doc/{ident}.{ext}", timeout=10) as r:
            graph = rdflib.Graph().parse(data=r.read(), format=fmt)
        assert (rdflib.URIRef(entity), None, None) in graph
        sources = set(graph.objects(None, has_source))
        assert sources and sources <= {rdflib.URIRef(iri(SOURCE_GUIDE)), rdflib.URIRef(iri(SOURCE_NEWS))}


def test_curl_like_dereference_follows_303_to_turtle(server):
    request = urllib.request.Request(f"{server}/id/{MONUMENT}", headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request, timeout=10) as r:
        assert r.url.endswith(f"/doc/{MONUMENT}")
        assert r.headers["Content-Type"].startswith("text/turtle")
        body = r.read().decode()
    assert "oa:hasSource" in body and "mg:paragraph" in body


def test_service_call_makes_no_connection(server):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(3)
    port = listener.getsockname()[1]
    connections = []

    def accept():
        try:
            conn, _ = listener.accept()
            connections.append(conn)
        except OSError:
            pass

    thread = threading.Thread(target=accept)
    thread.start()
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(f"{server}/sparql?" + urllib.parse.urlencode({"query": query}),
                               timeout=10)
    assert info.value.code == 403
    thread.join()
    listener.close()
    assert connections == []


def test_slow_query_is_ended_while_other_requests_are_served(server):
    outcome = {}

    def slow():
        started = time.monotonic()
        try:
            wrapper(server, SLOW, JSON).query()
            outcome["status"] = 200
        except SPARQLWrapperException as exc:
            outcome["error"] = str(exc)
        except urllib.error.HTTPError as exc:
            outcome["status"] = exc.code
            outcome["error"] = exc.read().decode()
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)
    fast_started = time.monotonic()
    result = wrapper(server, "ASK { ?s ?p ?o }", JSON).queryAndConvert()
    fast_seconds = time.monotonic() - fast_started
    thread.join(30)
    assert result["boolean"] is True and fast_seconds < 2
    assert "time limit" in outcome.get("error", "")
    assert 2.5 < outcome["seconds"] < 10
    # And the worker that ran it is still there to answer.
    for _ in range(4):
        assert wrapper(server, "ASK { ?s ?p ?o }", JSON).queryAndConvert()["boolean"] is True


def test_timeout_is_a_503_with_a_clear_message_not_a_500(server):
    with pytest.raises(urllib.error.HTTPError) as info:
        wrapper(server, SLOW, JSON).query()
    assert info.value.code == 503
    assert "3 s time limit" in info.value.read().decode()
