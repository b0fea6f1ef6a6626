"""The negotiation function, table-driven (like rdflib-endpoint's and Prez's tests)."""

import pytest

from memorial_graph.errors import NotAcceptable
from memorial_graph.formats import GRAPH_RESULTS, RDF_DOCUMENT, SOLUTION_RESULTS
from memorial_graph.web.conneg import jsonld_form, negotiate, negotiate_language

CASES = [
    # offered, Accept, explicit, expected
    (RDF_DOCUMENT, None, None, "html"),
    (RDF_DOCUMENT, "", None, "html"),
    (RDF_DOCUMENT, "*/*", None, "html"),
    (RDF_DOCUMENT, "text/turtle", None, "turtle"),
    (RDF_DOCUMENT, "application/ld+json", None, "jsonld"),
    (RDF_DOCUMENT, "application/rdf+xml", None, "rdfxml"),
    (RDF_DOCUMENT, "application/n-triples", None, "ntriples"),
    (RDF_DOCUMENT, "text/turtle;q=0.5, application/ld+json;q=0.9", None, "jsonld"),
    (RDF_DOCUMENT, "application/ld+json;q=0.2, text/*;q=0.8", None, "html"),
    (RDF_DOCUMENT, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", None, "html"),
    (RDF_DOCUMENT, "application/rdf+xml, */*;q=0.1", None, "rdfxml"),
    (RDF_DOCUMENT, "text/turtle;q=0, */*", None, "html"),
    (RDF_DOCUMENT, "TEXT/TURTLE", None, "turtle"),
    (RDF_DOCUMENT, "text/html", "ttl", "turtle"),
    (RDF_DOCUMENT, None, "jsonld", "jsonld"),
    (RDF_DOCUMENT, None, "application/rdf+xml", "rdfxml"),
    (RDF_DOCUMENT, "text/turtle", "nt", "ntriples"),
    (SOLUTION_RESULTS, None, None, "json"),
    (SOLUTION_RESULTS, "*/*", None, "json"),
    (SOLUTION_RESULTS, "application/sparql-results+xml", None, "xml"),
    (SOLUTION_RESULTS, "application/json", None, "json"),
    (SOLUTION_RESULTS, "text/csv", None, "csv"),
    (SOLUTION_RESULTS, "text/tab-separated-values", None, "tsv"),
    (SOLUTION_RESULTS, "application/sparql-results+json;q=0.5,application/sparql-results+xml", None, "xml"),
    (SOLUTION_RESULTS, "text/html,*/*;q=0.8", None, "html"),
    (SOLUTION_RESULTS, "text/html", "csv", "csv"),
    (GRAPH_RESULTS, None, None, "turtle"),
    (GRAPH_RESULTS, "application/n-quads", None, "nquads"),
    (GRAPH_RESULTS, "application/trig", None, "trig"),
    (GRAPH_RESULTS, "application/sparql-results+json, text/turtle;q=0.1", None, "turtle"),
]


@pytest.mark.parametrize("offered,accept,explicit,expected", CASES)
def test_negotiate(offered, accept, explicit, expected):
    assert negotiate(offered, accept, explicit).name == expected


@pytest.mark.parametrize("offered,accept,explicit", [
    (RDF_DOCUMENT, "image/png", None),
    (RDF_DOCUMENT, "text/turtle;q=0", None),
    (RDF_DOCUMENT, None, "csv"),
    (RDF_DOCUMENT, None, "exe"),
    (SOLUTION_RESULTS, "text/turtle", None),
])
def test_nothing_acceptable_is_406(offered, accept, explicit):
    with pytest.raises(NotAcceptable) as info:
        negotiate(offered, accept, explicit)
    assert info.value.status == 406


@pytest.mark.parametrize("header,available,expected", [
    (None, ["az", "en"], "en"),
    ("az", ["az", "en"], "az"),
    ("az-AZ,az;q=0.9,en;q=0.5", ["az", "en"], "az"),
    ("ru, en;q=0.5", ["az", "en"], "en"),
    ("de", ["az", "en"], "en"),
    ("en;q=0.1, az;q=0.9", ["az", "en"], "az"),
    ("az;q=0", ["az", "en"], "en"),
    ("*", ["az"], "az"),
])
def test_language(header, available, expected):
    assert negotiate_language(header, available) == expected


@pytest.mark.parametrize("offered,accept,explicit,expected", [
    # One token, a format per kind of response (Fuseki's and Virtuoso's reading).
    (GRAPH_RESULTS, "application/rdf+xml", ["xml", "xml", "xml"], "rdfxml"),
    (SOLUTION_RESULTS, None, ["xml"], "xml"),
    (GRAPH_RESULTS, None, ["json"], "jsonld"),
    (SOLUTION_RESULTS, None, ["json"], "json"),
    (GRAPH_RESULTS, "*/*", ["rdf+xml", "application/rdf+xml"], "rdfxml"),
    (SOLUTION_RESULTS, "*/*", ["tsv", "text/tab-separated-values"], "tsv"),
    (GRAPH_RESULTS, None, ["", "n3"], "turtle"),
    (GRAPH_RESULTS, "application/json", None, "jsonld"),
    (RDF_DOCUMENT, "text/plain", None, "ntriples"),
    (RDF_DOCUMENT, "application/xml", None, "rdfxml"),
    (SOLUTION_RESULTS, "text/*", None, "csv"),
    (RDF_DOCUMENT, "text/turtle;q=abc", None, "turtle"),
    (RDF_DOCUMENT, "application/n-quads", None, "nquads"),
])
def test_negotiate_per_kind(offered, accept, explicit, expected):
    assert negotiate(offered, accept, explicit).name == expected


def test_explicit_values_none_offered_is_406():
    with pytest.raises(NotAcceptable):
        negotiate(GRAPH_RESULTS, "*/*", ["csv", "text/csv"])


@pytest.mark.parametrize("accept,form", [
    (None, "compacted"),
    ("application/ld+json", "compacted"),
    ('application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded"', "expanded"),
    ('application/ld+json; profile="http://www.w3.org/ns/json-ld#flattened"', "flattened"),
    ('application/ld+json;profile="http://www.w3.org/ns/json-ld#flattened http://www.w3.org/ns/json-ld#compacted"',
     "flattened compacted"),
    ('application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded";q=0.5, '
     'application/ld+json;profile="http://www.w3.org/ns/json-ld#flattened"', "flattened"),
    ('application/ld+json;profile="http://example.org/other"', "compacted"),
])
def test_jsonld_form(accept, form):
    assert jsonld_form(accept) == form


def test_any_language_is_the_default():
    assert negotiate_language("*", ["az", "en", "ru"]) == "en"
    assert negotiate_language("az;q=0.5, *", ["az", "en"]) == "en"
