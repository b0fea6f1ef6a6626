"""Issue 8: "a fresh clone ... 3 failed: two tests expect a source title that the build reads
from [a folder of source copies beside the checkout] ... Without that folder the published graph also differs (dcterms:title
falls back to short_title), and it names a local file (mg:seedFile)."

A project builds the same graph from its own files alone, wherever it is checked out."""

from __future__ import annotations

import pyoxigraph as ox
import yaml

from memorial_graph.build import build
from memorial_graph.config import Config
from memorial_graph.store import EmbeddedStore
from tests.conftest import ROOT, copy_project

TITLE = "http://purl.org/dc/terms/title"


def test_a_project_with_nothing_beside_it_publishes_every_source_s_title(tmp_path, monkeypatch):
    monkeypatch.delenv("MEMORIAL_GRAPH_SEEDS", raising=False)
    project = copy_project(tmp_path / "alone")    # nothing beside it but this test's own files
    release = build(Config.for_project(project))
    store = EmbeddedStore.open_release(release)
    sources = yaml.safe_load((ROOT / "data" / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    for source in sources:
        rows = store.select(f"SELECT ?t WHERE {{ <https://w3id.org/memorial-graph/id/{source['id']}> "
                            f"<{TITLE}> ?t }}")
        assert [r["t"].value for r in rows] == [source["title"]]
    seed_file = ox.NamedNode("https://w3id.org/memorial-graph/ontology#seedFile")
    assert not store.ask("ASK { ?s ?p ?o }", {ox.Variable("p"): seed_file})
