"""A real Virtuoso (Debian's virtuoso-opensource-7-bin) as a remote store: the engine's
differences are handled in the store layer, and publishing ends complete."""

from __future__ import annotations

import pytest

from memorial_graph.build.publish import publish
from memorial_graph.store import open_store
from memorial_graph.store.remote import RemoteStore
from memorial_graph.uris import Uris
from tests.conftest import MONUMENT, iri
from tests.server import VIRTUOSO_DBA, running_virtuoso

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


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


def test_publishing_again_ends_complete_with_no_staging_graph_left(virtuoso, store, config):
    """Virtuoso does not isolate one multi-graph update from concurrent readers (a reader once
    saw 3,280 of 3,322 triples while the graphs were moved; docs/deploying.md), so only the
    end state is asserted here; the switch itself is tested on Oxigraph (test_remote.py)."""
    base, remote_config = virtuoso
    publish(config, f"{base}/sparql", f"{base}/sparql-auth", VIRTUOSO_DBA, "digest",
            batch_triples=200)
    assert int(open_store(remote_config).select(COUNT)[0]["n"].value) == len(store)
    everything = RemoteStore(f"{base}/sparql")    # not confined to the collection's graphs
    staging = everything.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                                "FILTER (CONTAINS(STR(?g), '#staging-')) }")
    assert staging[0]["n"].value == "0"
