"""The SPARQL 1.1 Service Description, answered on a bare GET of /sparql."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Response, g, render_template, request

from .. import namespaces as ns
from ..conneg import FORMATS, negotiate
from ..render import serialize

SD = ns.SD


def service_description() -> Response:
    fmt = negotiate(("turtle", "html", "jsonld", "rdfxml", "ntriples"),
                    request.headers.get("Accept"), request.args.get("format"))
    if fmt.name == "html":
        return Response(render_template("query.html", query=None), mimetype="text/html")
    site = g.site
    endpoint = ox.NamedNode(request.base_url)
    service = ox.BlankNode("service")
    dataset = ox.BlankNode("dataset")
    default_graph = ox.BlankNode("default")
    snap = site.snapshot()

    def t(s, p, o):
        return ox.Triple(s, ox.NamedNode(p), o)

    triples = [
        t(service, ns.RDF + "type", ox.NamedNode(SD + "Service")),
        t(service, SD + "endpoint", endpoint),
        t(service, SD + "supportedLanguage", ox.NamedNode(SD + "SPARQL11Query")),
        t(service, SD + "feature", ox.NamedNode(SD + "UnionDefaultGraph")),
        t(service, SD + "feature", ox.NamedNode(SD + "BasicFederatedQuery")),
        t(service, SD + "defaultDataset", dataset),
        t(dataset, ns.RDF + "type", ox.NamedNode(SD + "Dataset")),
        t(dataset, SD + "defaultGraph", default_graph),
        t(default_graph, ns.RDF + "type", ox.NamedNode(SD + "Graph")),
        t(default_graph, ns.VOID + "triples", ox.Literal(str(snap.quads),
                                                         datatype=ox.NamedNode(ns.XSD + "integer"))),
        t(service, ns.DCTERMS + "description", ox.Literal(
            "Read-only SPARQL 1.1 endpoint. The default graph is the union of all named graphs. "
            "SERVICE is limited to an allow-list; each query has a time limit.", language="en")),
    ]
    for name in ("json", "xml", "csv", "tsv", "turtle", "jsonld", "rdfxml", "ntriples",
                 "trig", "nquads"):
        triples.append(t(service, SD + "resultFormat",
                         ox.NamedNode(f"http://www.w3.org/ns/formats/{_w3c_format(name)}")))
    body = serialize(triples, fmt.name, site.uris)
    return Response(body, content_type=FORMATS[fmt.name].media_type,
                    headers={"Vary": "Accept"})


def _w3c_format(name: str) -> str:
    return {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML",
            "csv": "SPARQL_Results_CSV", "tsv": "SPARQL_Results_TSV", "turtle": "Turtle",
            "jsonld": "JSON-LD", "rdfxml": "RDF_XML", "ntriples": "N-Triples", "trig": "TriG",
            "nquads": "N-Quads"}[name]
