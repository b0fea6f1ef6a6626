"""The fast validator reports exactly what pySHACL reports: on every failing fixture of
test_shapes.py, on the collection, and on a synthetic archive with broken records."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from memorial_graph.build.fast_shacl import FastValidator, Unsupported
from memorial_graph.build.pipeline import Ontology
from memorial_graph.build.shacl import load_graph, quads_to_rdflib, shacl_violations
from tests.build.test_shapes import CASES, _graph
from tests.conftest import ROOT

ONTOLOGY_IRI = "https://w3id.org/memorial-graph/ontology"
ONTOLOGY = Ontology.from_files(ROOT / "ontology" / "memorial.ttl", ROOT / "ontology" / "shapes.ttl")


@pytest.fixture(scope="module")
def shapes():
    return load_graph(ROOT / "ontology" / "shapes.ttl")


@pytest.fixture(scope="module")
def ontology():
    return load_graph(ROOT / "ontology" / "memorial.ttl")


@pytest.fixture(scope="module")
def fast(shapes):
    return FastValidator(shapes)


def _canonical(value: str | None) -> str | None:
    """Literal lexical forms as a store keeps them (01 -> 1), so both sides compare alike."""
    if value is None or not value.startswith('"'):
        return value
    triple = next(iter(ox.parse(f"<x:s> <x:p> {value} .", format=ox.RdfFormat.N_TRIPLES)))
    store = ox.Store()
    store.add(ox.Quad(triple.subject, triple.predicate, triple.object))
    return str(next(iter(store)).object)


def _key(violations):
    return sorted({(v.focus, v.path or "", _canonical(v.value) or "", v.message, v.component)
                   for v in violations})


def _fast_on_graph(fast, graph: rdflib.Graph) -> list:
    store = ox.Store()
    data = ox.parse(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object) for t in data)
    store.bulk_extend(ONTOLOGY.quads(ONTOLOGY_IRI))
    return fast.validate(store)


@pytest.mark.parametrize("case,remove,add,expected", CASES, ids=[c[0] for c in CASES])
def test_same_results_as_pyshacl_on_every_failing_fixture(shapes, ontology, fast, case, remove,
                                                          add, expected):
    graph = _graph(remove, add)
    slow = shacl_violations(graph, shapes, ontology)
    quick = _fast_on_graph(fast, graph)
    assert slow, "the fixture must fail"
    assert _key(quick) == _key(slow)


def test_same_results_on_the_collection(shapes, ontology, fast, built):
    from memorial_graph.build import check

    config, _ = built
    checked = check(config)
    store = ox.Store()
    store.bulk_extend(checked.compiled.quads)
    store.bulk_extend(checked.ontology.quads(ONTOLOGY_IRI))
    assert _key(fast.validate(store)) == _key(checked.violations) == []


def _broken_archive(tmp_path):
    from bench.generate import generate

    project = tmp_path / "archive"
    generate(project, 1500, seed=7)
    part = project / "data" / "entities" / "part-0000.jsonl"
    lines = part.read_text(encoding="utf-8").splitlines()
    # Break a few records in ways the compiler lets through and SHACL must catch.
    lines[5] = lines[5].replace('"paragraph":', '"paragraph":-', 1)
    lines[9] = lines[9].replace('"lang":"en"', '"lang":"az"', 1)   # second az prefLabel
    lines[12] = lines[12].replace(',"sources":[{', ',"sources":[],"x":[{', 1).replace(',"x":', ',"note":', 1)
    part.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return project


def test_same_results_on_a_broken_synthetic_archive(shapes, ontology, fast, tmp_path):
    from memorial_graph.build.authoring import load_collection
    from memorial_graph.build.compile import compile_collection
    from memorial_graph.uris import Uris

    project = _broken_archive(tmp_path)
    compiled = compile_collection(load_collection(project / "data"), Uris(), ONTOLOGY.classes)
    slow = shacl_violations(quads_to_rdflib(compiled.quads), shapes, ontology)
    store = ox.Store()
    store.bulk_extend(compiled.quads)
    store.bulk_extend(ONTOLOGY.quads(ONTOLOGY_IRI))
    quick = fast.validate(store)
    assert len(slow) >= 3
    assert _key(quick) == _key(slow)


def test_unknown_shacl_features_are_refused(shapes):
    extended = rdflib.Graph()
    for t in shapes:
        extended.add(t)
    extended.parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:x> a sh:NodeShape ; sh:targetClass <urn:C> ;
            sh:property [ sh:path <urn:p> ; sh:qualifiedMinCount 1 ] .""", format="turtle")
    with pytest.raises(Unsupported):
        FastValidator(extended).validate(ox.Store())


def test_partitions_of_whole_records_give_the_violations_of_the_whole_graph(fast, tmp_path,
                                                                           monkeypatch):
    """The build validates large archives in partitions (memorial_graph.build.partitioned_shacl); cut
    into many small ones, the broken archive must still give exactly the whole-graph result."""
    from memorial_graph.build import compile as compile_module
    from memorial_graph.build.authoring import load_collection
    from memorial_graph.build.partitioned_shacl import PartitionedValidator
    from memorial_graph.uris import Uris

    project = _broken_archive(tmp_path)
    onto = "".join(str(q) + " .\n" for q in ONTOLOGY.quads(ONTOLOGY_IRI))
    monkeypatch.setattr(compile_module._Emitter, "CHUNK", 300)
    chunks: list[str] = []
    validators: list[PartitionedValidator] = []

    def start(sources: str) -> None:
        validators.append(PartitionedValidator(ONTOLOGY.shapes_path, ONTOLOGY.shapes, onto + sources,
                                               partition_quads=1000))

    def sink(text: str) -> None:
        chunks.append(text)
        validators[0].feed(text.encode(), text.count("\n"))

    compile_module.compile_collection(load_collection(project / "data"), Uris(), ONTOLOGY.classes,
                                      sink=sink, on_sources=start)
    partitioned = validators[0].finish()
    assert validators[0].partitions >= 10
    whole = ox.Store()
    whole.bulk_load(("".join(chunks) + onto).encode(), format=ox.RdfFormat.N_QUADS)
    expected = fast.validate(whole)
    assert len(expected) >= 3
    assert _key(partitioned) == _key(expected)
