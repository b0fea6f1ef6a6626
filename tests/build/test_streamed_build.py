"""The build reads the authoring files in two passes and streams the entities to the compiler
(`authoring.StreamedCollection`): it must publish exactly what the in-memory reference path
(`check`, every record held) compiles, and report problems with the same file:line."""

from __future__ import annotations

import json
import sqlite3

import pyoxigraph as ox
import pytest

from bench.generate import generate
from memorial_graph.build import build
from memorial_graph.build.authoring import load_collection
from memorial_graph.build.pipeline import check
from memorial_graph.build.search_index import write_search_index
from memorial_graph.config import Config
from memorial_graph.errors import DataError
from memorial_graph.search_schema import TABLE
from memorial_graph.uris import Uris


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    project = tmp_path_factory.mktemp("generated")
    generate(project, 1500)
    config = Config.for_project(project)
    return config, build(config)


def _claims_in_input(data_dir) -> int:
    total = 0
    for path in data_dir.rglob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            for entity in json.loads(line).get("entities", []):
                total += len(entity.get("claims", []))
    return total


def test_the_streamed_build_publishes_the_quads_of_the_in_memory_compile(generated):
    config, release = generated
    graph = Uris(config.base_uri).collection_graph
    published = [q for q in ox.parse(path=str(release.artifact("dataset.nq")),
                                     format=ox.RdfFormat.N_QUADS)
                 if q.graph_name == ox.NamedNode(graph)]
    reference = check(config).compiled.quads
    assert len(published) == len(reference) > 10_000
    assert sorted(map(str, published)) == sorted(map(str, reference))
    claims = _claims_in_input(config.data_dir)
    assert release.manifest["claims"] == claims > 1000
    claim_class = ox.NamedNode("https://w3id.org/memorial-graph/ontology#Claim")
    assert sum(1 for q in published if q.object == claim_class) == claims


def test_the_streamed_search_index_holds_what_the_whole_collection_gives(generated, tmp_path):
    config, release = generated
    expected = tmp_path / "expected.sqlite"
    write_search_index(expected, load_collection(config.data_dir), Uris(config.base_uri))

    def rows(path):
        con = sqlite3.connect(path)
        try:
            return con.execute(f"SELECT * FROM {TABLE} ORDER BY rowid").fetchall()
        finally:
            con.close()

    assert rows(release.artifact("search.sqlite")) == rows(expected)
    assert len(rows(expected)) == release.manifest["search_entries"] > 100


def _claim_line(data_dir, ident: str) -> str:
    for path in sorted(data_dir.rglob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if f'"id":"{ident}"' in line.replace(" ", ""):
                return f"{path.relative_to(data_dir.parent)}:{number}"
    raise AssertionError(ident)


def test_a_claim_identifier_used_twice_names_both_places(tmp_path):
    generate(tmp_path, 300)
    data = tmp_path / "data"
    first = load_collection(data).entities[5]
    ident = first.claims[0].id
    extra = data / "entities" / "zz-extra.jsonl"
    claim = {"id": ident, "property": "skos:prefLabel", "name": "Another", "lang": "en",
             "given_by": "editors"}
    extra.write_text(json.dumps({"entities": [{"id": "e-extra1", "type": "Person",
                                                "claims": [claim]}]}) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        build(Config.for_project(tmp_path))
    message = str(info.value)
    assert f"entities/zz-extra.jsonl:1: identifier '{ident}' is already used at " \
           f"{_claim_line(data, ident)}" in message
    assert not (tmp_path / "var" / "current").exists()
