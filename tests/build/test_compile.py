"""Compiling records to RDF: the claim model, shortcut triples, and broken references."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from memorial_graph import namespaces as ns
from memorial_graph.build.authoring import load_collection
from memorial_graph.build.compile import compile_collection
from memorial_graph.build.shacl import load_graph
from memorial_graph.entity_classes import EntityClasses
from memorial_graph.errors import DataError
from memorial_graph.terms import edtf_bounds
from memorial_graph.uris import Uris
from tests.conftest import ROOT

CLASSES = EntityClasses.from_graph(load_graph(ROOT / "ontology" / "memorial.ttl"))
SOURCE = """\
sources:
  - {id: src0001, type: Article, title: A report, url: "http://example.org/r", language: en}
"""


def _compile(tmp_path, entities: str):
    data = tmp_path / "data"
    data.mkdir()
    (data / "sources.yaml").write_text(SOURCE, encoding="utf-8")
    (data / "entities.yaml").write_text(entities, encoding="utf-8")
    compiled = compile_collection(load_collection(data), Uris(), CLASSES)
    store = ox.Store()
    store.extend(compiled.quads)
    return store


def _triples(store, s: str) -> set[tuple[str, str]]:
    return {(q.predicate.value, str(q.object)) for q in store.quads_for_pattern(ox.NamedNode(s), None, None)}


def test_a_count_claim_becomes_a_claim_node_a_value_node_evidence_and_a_shortcut(tmp_path):
    store = _compile(tmp_path, """\
entities:
  - id: evt0001
    type: Event
    claims:
      - id: clm0001
        property: mg:numberKilled
        count: 613
        sources: [{source: src0001, paragraph: 3}]
""")
    uris = Uris()
    claim = _triples(store, uris.entity("clm0001"))
    assert (ns.CRM + "P140_assigned_attribute_to", f"<{uris.entity('evt0001')}>") in claim
    assert (ns.CRM + "P141_assigned", f"<{uris.entity('clm0001')}#value>") in claim
    value = _triples(store, uris.entity("clm0001") + "#value")
    assert (ns.RDF + "type", f"<{ns.MG}Count>") in value
    assert (ns.CRM + "P91_has_unit", f"<{ns.MG}person>") in value
    evidence = _triples(store, uris.entity("clm0001") + "#ev1")
    assert (ns.OA + "hasSource", f"<{uris.entity('src0001')}>") in evidence
    shortcut = _triples(store, uris.entity("evt0001"))
    assert (ns.MG + "numberKilled", '"613"^^<http://www.w3.org/2001/XMLSchema#integer>') in shortcut


def test_a_qualified_count_has_no_shortcut(tmp_path):
    store = _compile(tmp_path, """\
entities:
  - {id: cat0001, type: PopulationCategory, claims: []}
  - id: evt0001
    type: Event
    claims:
      - {id: clm0001, property: mg:numberKilled, count: 106, applies_to: cat0001,
         sources: [{source: src0001, paragraph: 3}]}
""")
    assert not any(p == ns.MG + "numberKilled" for p, _ in _triples(store, Uris().entity("evt0001")))


def test_source_metadata_is_bibliographic(tmp_path):
    store = _compile(tmp_path, "entities: []\n")
    src = _triples(store, Uris().entity("src0001"))
    assert (ns.DCTERMS + "title", '"A report"@en') in src
    assert not any("seedFile" in p for p, _ in src)


def test_broken_references_name_file_and_line(tmp_path):
    with pytest.raises(DataError) as caught:
        _compile(tmp_path, """\
entities:
  - id: evt0001
    type: Monstrosity
    claims:
      - {id: clm0001, property: mg:numberKilled, count: 1, unit: furlong,
         sources: [{source: nosuchsrc, paragraph: 1}]}
      - {id: clm0002, property: schema:creator, entity: nobody123, sources: []}
""")
    lines = caught.value.format_lines()
    assert any(line.startswith("data/entities.yaml:2:") and "unknown type 'Monstrosity'" in line
               for line in lines)
    assert any(line.startswith("data/entities.yaml:5:") and "unknown unit 'furlong'" in line
               for line in lines)
    assert any("cites source 'nosuchsrc'" in line for line in lines)
    assert any(line.startswith("data/entities.yaml:7:") and "'nobody123' is not in the collection"
               in line for line in lines)


@pytest.mark.parametrize("edtf,bounds", [
    ("1992", ("1992-01-01", "1992-12-31")),
    ("1992-02", ("1992-02-01", "1992-02-29")),
    ("1993-02", ("1993-02-01", "1993-02-28")),
    ("1992-02-25/1992-02-26", ("1992-02-25", "1992-02-26")),
    ("1992-02-25~", ("1992-02-25", "1992-02-25")),
    ("the night of", None),
])
def test_edtf_bounds_never_claim_more_precision_than_written(edtf, bounds):
    assert edtf_bounds(edtf) == bounds
