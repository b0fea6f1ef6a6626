"""The record classes, read once from the ontology (build) or from a release's store (web)."""

from __future__ import annotations

import pyoxigraph as ox

from memorial_graph.build.shacl import load_graph
from memorial_graph.entity_classes import EntityClasses
from tests.conftest import ROOT


def test_entity_and_source_classes_come_from_the_ontology():
    classes = EntityClasses.from_graph(load_graph(ROOT / "ontology" / "memorial.ttl"))
    assert {"Person", "Monument", "MilitaryUnit", "Station", "PopulationCategory"} <= classes.entities
    assert "Entity" not in classes.entities and "Claim" not in classes.entities
    assert classes.sources == {"Source", "Article", "WebPage", "List", "Testimony"}
    assert classes.is_a("Monument", "HumanMadeObject") and classes.is_a("Station", "Place")
    assert not classes.is_a("Person", "Place")


def test_a_new_class_in_the_ontology_is_known_without_code(tmp_path):
    onto = tmp_path / "memorial.ttl"
    onto.write_text((ROOT / "ontology" / "memorial.ttl").read_text(encoding="utf-8") + """
mg:Plaque a owl:Class ; rdfs:label "plaque"@en ; rdfs:subClassOf mg:MonumentPart .
""", encoding="utf-8")
    classes = EntityClasses.from_graph(load_graph(onto))
    assert "Plaque" in classes.entities and classes.is_a("Plaque", "HumanMadeObject")


def test_the_web_tier_reads_the_same_classes_from_the_release(store):
    from_release = EntityClasses.from_store(store)
    from_file = EntityClasses.from_graph(load_graph(ROOT / "ontology" / "memorial.ttl"))
    assert from_release.entities == from_file.entities
    assert from_release.sources == from_file.sources


def test_a_store_without_an_ontology_has_no_classes():
    from memorial_graph.store import EmbeddedStore

    empty = EmbeddedStore(ox.Store())
    assert EntityClasses.from_store(empty).entities == set()
