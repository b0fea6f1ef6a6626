"""Found in review: a CONSTRUCT query whose FROM comes after its template,
`CONSTRUCT { ?s ?p ?o } FROM <…/graph/meta> WHERE { ?s ?p ?o }`, the usual way to write one,
was answered from the wrong graphs over a remote store. Its dataset clause was looked for only
before the first `{` at the top level, which for a CONSTRUCT is its template: over Oxigraph
(whose `--union-default-graph` overrides a FROM not sent as the Protocol's dataset too) the
query read the whole store, and over Virtuoso, with `default-graph-uri` in the request, the
query's own FROM was not taken out and won over the request's graphs (Protocol 2.1.4).
"""

from __future__ import annotations

import urllib.parse
import urllib.request

import pytest

from tests.issues.conftest import COLLECTION, META, NOWHERE, graph_size

CONSTRUCT = "CONSTRUCT { ?s ?p ?o } %s WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def server(engine):
    return engine


def triples(server: str, query: str, **params) -> int:
    fields = [("query", query)] + [(k.replace("_", "-"), v) for k, v in params.items()]
    request = urllib.request.Request(f"{server}/sparql?{urllib.parse.urlencode(fields)}",
                                     headers={"Accept": "application/n-triples",
                                              "Cache-Control": "no-cache"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return len({line for line in response.read().decode().splitlines() if line.strip()})


def test_a_construct_reads_the_graphs_its_from_names(server, store):
    assert 0 < graph_size(store, META) < len(store)
    assert triples(server, CONSTRUCT % f"FROM <{META}>") == graph_size(store, META)
    assert triples(server, CONSTRUCT % f"FROM <{NOWHERE}>") == 0


def test_the_request_s_graphs_win_over_a_construct_s_from(server, store):
    assert triples(server, CONSTRUCT % f"FROM <{COLLECTION}>", default_graph_uri=META) == \
        graph_size(store, META)
