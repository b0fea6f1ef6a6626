"""Issue 10, item 2: "SPARQLWrapper's default CONSTRUCT/DESCRIBE fails with 406: it sends
`format=xml&output=xml&results=xml` with `Accept: application/rdf+xml`." Format parameters
mean a format per query form (`xml` → RDF/XML for graphs, SPARQL XML for results; `json` →
JSON-LD or SPARQL JSON; ...), the way Fuseki and Virtuoso read them; every SPARQLWrapper return
format works with its defaults, against the real server. rdflib's SPARQLStore too."""

from __future__ import annotations

import json
import warnings
from xml.dom.minidom import Document

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDF, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from tests.conftest import MONUMENT, iri

SKOS = "http://www.w3.org/2004/02/skos/core#"
CONSTRUCT = f"CONSTRUCT {{ <{iri(MONUMENT)}> <{SKOS}prefLabel> ?n }} WHERE {{ <{iri(MONUMENT)}> <{SKOS}prefLabel> ?n }}"
DESCRIBE = f"DESCRIBE <{iri(MONUMENT)}>"
SELECT = f"SELECT ?n WHERE {{ <{iri(MONUMENT)}> <{SKOS}prefLabel> ?n }}"
ASK = f"ASK {{ <{iri(MONUMENT)}> ?p ?o }}"


def run(live: str, query: str, fmt: str | None, method: str = "GET"):
    sparql = SPARQLWrapper(f"{live}/sparql")
    sparql.setQuery(query)
    if fmt is not None:
        sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    sparql.setTimeout(20)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # SPARQLWrapper's own notes
        return sparql.queryAndConvert()


def as_graph(result) -> rdflib.Graph:
    if isinstance(result, rdflib.Graph):
        return result
    text = result.decode("utf-8") if isinstance(result, bytes) else result
    return rdflib.Graph().parse(data=text, format="turtle")


@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
@pytest.mark.parametrize("fmt", [None, XML, RDFXML, RDF, TURTLE, N3, JSONLD, JSON])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_graph_results_in_every_return_format(live, query, fmt, method):
    graph = as_graph(run(live, query, fmt, method))
    names = {str(o) for o in graph.objects(rdflib.URIRef(iri(MONUMENT)),
                                           rdflib.URIRef(SKOS + "prefLabel"))}
    assert "Ana harayı" in names


@pytest.mark.parametrize("fmt", [None, XML, JSON, CSV, TSV])
def test_select_in_every_return_format(live, fmt):
    result = run(live, SELECT, fmt)
    if isinstance(result, Document):
        values = [n.firstChild.data for n in result.getElementsByTagName("literal")]
    elif isinstance(result, dict):
        values = [b["n"]["value"] for b in result["results"]["bindings"]]
    else:
        values = result.decode("utf-8")
        values = [line.strip().strip('"').rsplit('"@', 1)[0] for line in values.splitlines()[1:]]
    assert "Ana harayı" in values


@pytest.mark.parametrize("fmt", [None, XML, JSON, CSV, TSV])
def test_ask_in_every_return_format(live, fmt):
    result = run(live, ASK, fmt)
    if isinstance(result, Document):
        assert result.getElementsByTagName("boolean")[0].firstChild.data == "true"
    elif isinstance(result, dict):
        assert result["boolean"] is True
    else:
        assert "true" in result.decode("utf-8").lower()


def test_rdflib_sparqlstore(live):
    graph = rdflib.Graph(store=SPARQLStore(f"{live}/sparql", returnFormat="xml"))
    names = {str(row.n) for row in graph.query(SELECT)}
    assert "Ana harayı" in names
    described = graph.query(CONSTRUCT)
    assert (rdflib.URIRef(iri(MONUMENT)), rdflib.URIRef(SKOS + "prefLabel"),
            rdflib.Literal("Ana harayı", lang="az")) in set(described)
    assert graph.query(ASK).askAnswer is True
    as_json = rdflib.Graph(store=SPARQLStore(f"{live}/sparql", returnFormat="json"))
    assert "Ana harayı" in {str(row.n) for row in as_json.query(SELECT)}


def test_a_format_the_query_form_cannot_have_is_406_with_the_choices(live):
    import urllib.error
    import urllib.parse
    import urllib.request

    url = f"{live}/sparql?" + urllib.parse.urlencode({"query": CONSTRUCT, "format": "csv"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/json"}),
                               timeout=20)
    assert info.value.code == 406
    assert "ttl" in json.loads(info.value.read())["error"]
