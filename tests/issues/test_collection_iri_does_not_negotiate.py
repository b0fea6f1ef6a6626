"""Issue 10, item 5: "The collection's own IRI (the base, and `/void`) does not negotiate: RDF
clients asking for Turtle/JSON-LD get HTML. Serve the dataset description (VoID/DCAT) there by
content negotiation, and at `/.well-known/void`."""

from __future__ import annotations

import urllib.request

import pytest
import rdflib

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
DATASET = rdflib.URIRef("https://w3id.org/memorial-graph/void#dataset")


def get(url: str, accept: str):
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}),
                                timeout=20) as r:
        return r.headers, r.read()


@pytest.mark.parametrize("path", ["/", "/void", "/.well-known/void"])
@pytest.mark.parametrize("accept,media,rdflib_format", [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/n-triples", "application/n-triples", "nt"),
    # An RDF client listing many types at equal q: the server's preference (Turtle).
    ("application/rdf+xml, text/n3, text/turtle, application/n-triples, application/ld+json, "
     "*/*;q=0.1", "text/turtle", "turtle"),
])
def test_rdf_clients_get_the_dataset_description(live, path, accept, media, rdflib_format):
    headers, body = get(live + path, accept)
    assert headers["Content-Type"].split(";")[0] == media
    assert "Accept" in headers["Vary"]
    graph = rdflib.Graph().parse(data=body, format=rdflib_format)
    assert (DATASET, rdflib.RDF.type, VOID.Dataset) in graph
    assert (DATASET, rdflib.RDF.type, DCAT.Dataset) in graph
    assert (DATASET, VOID.sparqlEndpoint, rdflib.URIRef(f"{live}/sparql")) in graph


def test_rdflib_dereferences_the_collection(live):
    graph = rdflib.Graph().parse(f"{live}/")
    assert (DATASET, rdflib.RDF.type, VOID.Dataset) in graph


@pytest.mark.parametrize("path", ["/", "/void", "/.well-known/void"])
def test_browsers_still_get_a_page(live, path):
    headers, body = get(live + path, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
    assert headers["Content-Type"].startswith("text/html")
    assert b"<html" in body
