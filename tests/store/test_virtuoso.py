"""A real Virtuoso (Debian's virtuoso-opensource-7-bin) as a remote store: the engine's
differences are handled in the store layer, and publishing switches readers at once."""

from __future__ import annotations

import threading

import pyoxigraph as ox
import pytest

from memorial_graph.build.publish import publish
from memorial_graph.queries import load
from memorial_graph.store import Dataset, open_store
from memorial_graph.store.remote import RemoteStore, describe_load, forget_load, switch
from memorial_graph.uris import Uris
from tests.conftest import MONUMENT, iri
from tests.server import VIRTUOSO_DBA, running_virtuoso
from tests.store.publishing import COUNT, count_while, loads_in


@pytest.fixture(scope="module")
def virtuoso(config, tmp_path_factory):
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as base:
        publish(config, f"{base}/sparql", f"{base}/sparql-auth", VIRTUOSO_DBA, "digest")
        yield base, config.with_(store_url=f"{base}/sparql")


def test_ask_is_a_boolean(virtuoso):
    _base, config = virtuoso
    store = open_store(config)
    assert store.exists(iri(MONUMENT)) is True
    assert store.exists(iri("nosuchid")) is False


def test_a_query_without_a_dataset_sees_the_collection_not_virtuoso_s_own_graphs(virtuoso, store):
    _base, config = virtuoso
    assert int(open_store(config).select(COUNT)[0]["n"].value) == len(store)


def test_a_query_with_its_own_from_sees_that_graph(virtuoso):
    _base, config = virtuoso
    meta = Uris().meta_graph
    rows = open_store(config).select(f"SELECT (COUNT(*) AS ?n) FROM <{meta}> WHERE {{ ?s ?p ?o }}")
    assert 0 < int(rows[0]["n"].value) < 50


def test_blank_nodes_of_the_ontology_survive_publishing(virtuoso, store):
    _base, config = virtuoso
    lists = ("SELECT (COUNT(*) AS ?n) WHERE { ?l <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> "
             "?x ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#rest> ?rest }")
    assert open_store(config).select(lists)[0]["n"].value == store.select(lists)[0]["n"].value


def test_readers_see_the_old_release_or_the_new_one_never_a_mix(virtuoso, store, config):
    """Publish again in small batches while readers resolve the marker and count: every count
    is the full collection (the old load until the switch, then the new one), and the readers
    saw both loads."""
    base, remote_config = virtuoso
    seen = count_while(remote_config, lambda: publish(
        config, f"{base}/sparql", f"{base}/sparql-auth", VIRTUOSO_DBA, "digest",
        batch_triples=200))
    assert len(seen) >= 4 and {count for _load, count in seen} == {len(store)}
    assert len({load for load, _count in seen}) == 2


def test_the_marker_switch_is_atomic_on_virtuoso(virtuoso):
    """The one statement a switch is, run 150 times while two readers read the marker: they
    always find exactly one current load (never none, never two)."""
    base, _remote_config = virtuoso
    uris = Uris()
    writer = RemoteStore(f"{base}/sparql", f"{base}/sparql-auth", credentials=VIRTUOSO_DBA,
                         auth="digest")
    reader = RemoteStore(f"{base}/sparql")
    current = reader.published(uris)
    writer.update(describe_load(uris, current.release, "other", "2026-01-01T00:00:00Z"))
    seen: list[int] = []
    done = threading.Event()

    def read():
        while not done.is_set():
            seen.append(len(reader.select(load("published-release"),
                                          {ox.Variable("dataset"): ox.NamedNode(uris.dataset)},
                                          dataset=Dataset((uris.release_graph,), ()))))

    threads = [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        for i in range(150):
            writer.update(switch(uris, current.release, ("other", current.tag)[i % 2]))
    finally:
        done.set()
        for thread in threads:
            thread.join()
    writer.update(forget_load(uris, current.release, "other"))
    assert len(seen) > 50 and set(seen) == {1}
    assert reader.published(uris) == current


def test_publishing_keeps_the_previous_load_and_drops_older_ones(virtuoso, store, config):
    base, remote_config = virtuoso
    everything = RemoteStore(f"{base}/sparql")    # not confined to the collection's graphs
    for _ in range(2):
        publish(config, f"{base}/sparql", f"{base}/sparql-auth", VIRTUOSO_DBA, "digest")
    current = open_store(remote_config)
    assert int(current.select(COUNT)[0]["n"].value) == len(store)
    assert len(loads_in(everything)) == 2      # the current load and the one before it


def test_queries_name_graphs_as_over_the_embedded_store(virtuoso, store):
    """The store holds the graphs under one load's names; queries still name and see them by
    the collection's graph IRIs (GRAPH, FROM NAMED, and GRAPH ?g in answers)."""
    _base, config = virtuoso
    uris = Uris()
    remote = open_store(config)
    names = ("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    assert [r["g"].value for r in remote.select(names)] == [r["g"].value for r in store.select(names)]
    in_ontology = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{uris.ontology_graph}> {{ ?s ?p ?o }} }}"
    assert remote.select(in_ontology)[0]["n"].value == store.select(in_ontology)[0]["n"].value
    named = (f"SELECT (COUNT(*) AS ?n) FROM NAMED <{uris.meta_graph}> "
             f"WHERE {{ GRAPH <{uris.meta_graph}> {{ ?s ?p ?o }} }}")
    assert int(remote.select(named)[0]["n"].value) > 0
