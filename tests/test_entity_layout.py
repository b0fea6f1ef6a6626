"""The entity pages' layout table (entity_layout.py): every class has a layout, every property
it names is one the ontology has, and every property the collection's records use is placed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import rdflib
import yaml

from memorial_graph import namespaces as ns
from memorial_graph.build.shacl import load_graph
from memorial_graph.entity_classes import EntityClasses
from memorial_graph.entity_layout import (
    LAYOUTS,
    NAMES,
    SOURCE_FACTS,
    layout_class,
    layout_for,
)
from tests.conftest import ROOT

GRAPH = load_graph(ROOT / "ontology" / "memorial.ttl")
CLASSES = EntityClasses.from_graph(GRAPH)
# The properties the ontology describes (a claim's property must be one of them).
DESCRIBED = {str(s) for s in GRAPH.subjects() if isinstance(s, rdflib.URIRef)}


def mg(name: str) -> list[str]:
    return [ns.MG + name]


def test_every_class_of_the_ontology_has_a_layout_of_its_own_or_its_kind():
    for name in CLASSES.entities:
        chosen = layout_class(mg(name), CLASSES)
        assert chosen == name or chosen in CLASSES.ancestors(name), (name, chosen)
    assert layout_class(mg("Monument"), CLASSES) == "HumanMadeObject"
    assert layout_class(mg("Settlement"), CLASSES) == "Place"
    assert layout_class(mg("MilitaryUnit"), CLASSES) == "Group"
    assert layout_class(mg("Commemoration"), CLASSES) == "Commemoration"   # not Event's
    assert layout_class(mg("Material"), CLASSES) == "Entity"


def test_a_new_class_takes_its_superclass_s_layout(tmp_path):
    onto = tmp_path / "memorial.ttl"
    onto.write_text((ROOT / "ontology" / "memorial.ttl").read_text(encoding="utf-8") + """
mg:Plaque a owl:Class ; rdfs:label "plaque"@en ; rdfs:subClassOf mg:MonumentPart .
""", encoding="utf-8")
    classes = EntityClasses.from_graph(load_graph(onto))
    assert layout_class(mg("Plaque"), classes) == "HumanMadeObject"


def test_every_property_a_layout_names_is_one_the_ontology_describes():
    for name, layout in LAYOUTS.items():
        assert name in CLASSES.entities | {"Entity"}, name
        placed = layout.placed()
        assert set(placed) <= DESCRIBED, (name, set(placed) - DESCRIBED)
        assert [p for p, n in Counter(placed).items() if n > 1] == [], name
        # the summary shows facts the sections below hold
        assert set(layout.summary_iris()) <= set(placed), name
        assert layout.sections[0].properties == NAMES


def test_source_facts_are_properties_of_the_ontology():
    for prop, _label in SOURCE_FACTS:
        assert ns.expand(prop) in DESCRIBED, prop


def records() -> list[tuple[str, str, list[str]]]:
    out = []
    for path in sorted((ROOT / "data" / "entities").glob("*.yaml")):
        for record in yaml.safe_load(Path(path).read_text(encoding="utf-8"))["entities"]:
            out.append((record["id"], record["type"],
                        [c["property"] for c in record.get("claims", [])]))
    return out


def test_every_property_the_collection_uses_has_its_place_in_its_kind_s_layout():
    """None of today's records needs the "Other statements" catch-all."""
    for ident, kind, properties in records():
        placed = set(layout_for(mg(kind), CLASSES).placed())
        missing = {p for p in properties if ns.expand(p) not in placed}
        assert missing == set(), (ident, kind, missing)
