"""Found in review: over a remote store, the public endpoint answered from any graph the store
holds once a query named it (`FROM`, `FROM NAMED`, `default-graph-uri`, `named-graph-uri`):
Virtuoso's own system graph (`FROM <http://www.openlinksw.com/schemas/virtrdf#>` counted
2,479 triples), the marker graph `publish` keeps, the graphs of other loads of the release,
and whatever else a shared store holds. Over the embedded store, a graph that is not one of
the collection's holds nothing (such a query counts 0), and docs/deploying.md says a store's
own graphs and other data on a shared store stay out of the answers.

A graph a query or request names that is not one of the collection's is now sent as a graph
that holds nothing. Checked on the public endpoint of the app over a real Virtuoso.
"""

from __future__ import annotations

import pytest

from memorial_graph.build.publish import publish
from memorial_graph.uris import Uris
from memorial_graph.web import create_app
from tests.server import VIRTUOSO_DBA, running_virtuoso

VIRTUOSO_OWN = "http://www.openlinksw.com/schemas/virtrdf#"
COUNT = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?s ?p ?o }}"
NAMED_COUNT = "SELECT (COUNT(*) AS ?n) {} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"


@pytest.fixture(scope="module")
def client(config, tmp_path_factory):
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as base:
        publish(config, f"{base}/sparql", f"{base}/sparql-auth", VIRTUOSO_DBA, "digest")
        yield create_app(config.with_(store_url=f"{base}/sparql")).test_client()


def count(client, query: str, **dataset) -> int:
    params = {"query": query, **{k.replace("_", "-"): v for k, v in dataset.items()}}
    response = client.get("/sparql", query_string=params,
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.data
    return int(response.get_json()["results"]["bindings"][0]["n"]["value"])


def test_a_graph_the_collection_does_not_have_holds_nothing(client):
    assert count(client, COUNT.format(f"FROM <{VIRTUOSO_OWN}>")) == 0
    assert count(client, NAMED_COUNT.format(f"FROM NAMED <{VIRTUOSO_OWN}>")) == 0
    assert count(client, COUNT.format(""), default_graph_uri=VIRTUOSO_OWN) == 0
    assert count(client, NAMED_COUNT.format(""), named_graph_uri=VIRTUOSO_OWN) == 0
    marker = Uris().release_graph
    assert count(client, COUNT.format(f"FROM <{marker}>")) == 0


def test_the_collection_s_graphs_are_still_read(client, store):
    meta = Uris().meta_graph
    size = len(store.select(f"SELECT * WHERE {{ GRAPH <{meta}> {{ ?s ?p ?o }} }}"))
    assert count(client, COUNT.format(f"FROM <{meta}>")) == size
    assert count(client, COUNT.format(f"FROM <{meta}> FROM <{VIRTUOSO_OWN}>")) == size
    assert count(client, NAMED_COUNT.format(""), named_graph_uri=meta) == size
    assert client.get("/health").get_json()["release"]    # the marker is still read
