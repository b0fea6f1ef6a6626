"""The remote backend against a real `oxigraph serve`: publish, then query as the web tier does."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from memorial_graph.build.publish import publish
from memorial_graph.errors import BadRequest, MalformedQuery, StoreError
from memorial_graph.store import open_store
from memorial_graph.store.remote import RemoteStore, derive_update_url
from tests.conftest import MONUMENT, iri
from tests.server import free_port, running_oxigraph
from tests.store.publishing import count_while, loads_in

LABELS = ("SELECT ?name WHERE { ?entity <http://www.w3.org/2004/02/skos/core#prefLabel> ?name } "
          "ORDER BY ?name")


@pytest.fixture(scope="module")
def remote(config, tmp_path_factory):
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph")) as base:
        publish(config, f"{base}/query")
        yield config.with_(store_url=f"{base}/query")


def test_open_store_speaks_to_the_configured_remote(remote, store):
    backend = open_store(remote)
    assert isinstance(backend, RemoteStore)
    assert len(backend) == len(store)


def test_bound_values_and_results_come_back_as_pyoxigraph_terms(remote):
    rows = open_store(remote).select(LABELS, {ox.Variable("entity"): ox.NamedNode(iri(MONUMENT))})
    names = {(r["name"].value, r["name"].language) for r in rows}
    assert ("Ana harayı", "az") in names and ("Mother's Cry", "en") in names


def test_graphs_come_back_as_triples(remote):
    triples = open_store(remote).construct(
        "CONSTRUCT { ?entity ?p ?o } WHERE { ?entity ?p ?o }",
        {ox.Variable("entity"): ox.NamedNode(iri(MONUMENT))})
    assert triples and all(isinstance(t, ox.Triple) for t in triples)
    assert open_store(remote).exists(iri(MONUMENT))
    assert not open_store(remote).exists(iri("nosuchid"))


def test_a_malformed_query_is_the_store_s_message_as_a_typed_error(remote):
    with pytest.raises(MalformedQuery):
        open_store(remote).select("SELECT WHERE {")


def test_an_unreachable_store_is_a_store_error():
    with pytest.raises(StoreError):
        RemoteStore(f"http://127.0.0.1:{free_port()}/query", timeout=2).ask("ASK {}")


def test_update_endpoints_are_derived_for_known_servers():
    assert derive_update_url("http://h:7878/query") == "http://h:7878/update"
    assert derive_update_url("http://h/ds/sparql") == "http://h/ds/update"
    with pytest.raises(BadRequest):
        derive_update_url("http://h/endpoint")


def test_readers_see_the_old_release_or_the_new_one_never_a_mix(remote, store, config):
    """Publish again in small batches while readers resolve the marker and count: every count
    is the full collection (the old load until the switch, then the new one)."""
    seen = count_while(remote, lambda: publish(config, remote.store_url, batch_triples=200))
    assert len(seen) >= 4 and {count for _load, count in seen} == {len(store)}
    assert len({load for load, _count in seen}) == 2


def test_a_publish_failing_half_way_leaves_the_current_release_untouched(remote, store, config,
                                                                         monkeypatch):
    """The store stops answering after a few batches (its connection drops): readers still
    see the release they saw, whole; the next publish clears what the failed one loaded."""
    from memorial_graph.build import publish as publishing

    before = open_store(remote)
    everything = RemoteStore(remote.store_url)
    loads = loads_in(everything)
    loaded = []
    real_insert = publishing.insert

    def failing_insert(graph, triples):
        if len(loaded) == 3:
            raise StoreError("the remote store could not be reached: connection reset")
        loaded.append(graph)
        return real_insert(graph, triples)

    monkeypatch.setattr(publishing, "insert", failing_insert)
    with pytest.raises(StoreError):
        publish(config, remote.store_url, batch_triples=200)
    monkeypatch.undo()
    after = open_store(remote)
    assert after.graphs == before.graphs and len(after) == len(store)
    failed = loads_in(everything) - loads
    assert len(failed) == 1
    publish(config, remote.store_url)
    assert len(open_store(remote)) == len(store)
    assert not failed & loads_in(everything)
