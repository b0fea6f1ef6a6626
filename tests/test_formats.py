"""The format registry: every format once, and everything that names a format reads it."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from memorial_graph.formats import (
    DUMP_FORMATS,
    FORMATS,
    GRAPH_RESULTS,
    RDF_DOCUMENT,
    RESULT_FORMATS,
    by_suffix,
    by_token,
    dump_media_type,
    serialize,
)


@pytest.mark.parametrize("token,name", [
    ("ttl", "turtle"), ("text/turtle", "turtle"), ("application/x-turtle", "turtle"),
    ("TURTLE", "turtle"), ("jsonld", "jsonld"), ("json-ld", "jsonld"), ("rdf", "rdfxml"),
    ("application/rdf+xml", "rdfxml"), ("nt", "ntriples"), ("nq", "nquads"), ("srj", "json"),
("srx", "xml"), ("csv", "csv"), ("tsv", "tsv"),
    ("htm", "html"),
])
def test_tokens_name_their_format(token, name):
    assert by_token(token).name == name


def test_an_unknown_token_names_nothing():
    assert by_token("docx") is None


def test_every_rdf_format_writes_a_graph_and_every_results_format_a_result():
    triple = ox.Triple(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"),
                       ox.Literal("o", language="az"))
    for name in set(RDF_DOCUMENT + GRAPH_RESULTS) - {"html"}:
        data = serialize([triple], name, {"ex": "http://example.org/"})
        fmt = FORMATS[name].rdf
        parsed = list(ox.parse(data, format=fmt))
        assert len(parsed) == 1 and parsed[0].object == triple.object, name
    for name in RESULT_FORMATS:
        assert FORMATS[name].results is not None


def test_content_types_carry_utf8_for_text_and_not_for_binary_types():
    assert FORMATS["turtle"].content_type == "text/turtle; charset=utf-8"
    assert FORMATS["json"].content_type == "application/sparql-results+json; charset=utf-8"
    assert FORMATS["ntriples"].content_type == "application/n-triples"


def test_dumps_and_files_by_name():
    assert {FORMATS[n].dump for n in DUMP_FORMATS} == {"dataset.nq", "dataset.trig",
                                                      "dataset.ttl", "dataset.jsonld"}
    assert dump_media_type("dataset.nq") == "application/n-quads"
    assert dump_media_type("dataset.trig.gz") == "application/gzip"
    assert dump_media_type("SHA256SUMS") == "text/plain"
    assert dump_media_type("secrets.txt") is None
    assert by_suffix("data/archive.nq").name == "nquads"
    assert by_suffix("notes.csv") is None


def test_every_served_format_has_its_w3c_iri():
    for name in RESULT_FORMATS + tuple(n for n, f in FORMATS.items() if f.rdf):
        assert FORMATS[name].w3c_iri.startswith("http://www.w3.org/ns/formats/")
