"""The claim value kinds table: authoring, compile, read-back and the ontology agree."""

from __future__ import annotations

import rdflib

from memorial_graph import namespaces as ns
from memorial_graph.build.authoring import VALUE_KEYS
from memorial_graph.value_kinds import KINDS, VALUE_PROPERTY, kind_of_node, ontology_mismatches
from tests.conftest import ROOT


def _annotations(path) -> dict[str, str]:
    g = rdflib.Graph().parse(path, format="turtle")
    return {str(s): str(o) for s, o in g.subject_objects(rdflib.URIRef(VALUE_PROPERTY))}


def test_authoring_accepts_exactly_the_kinds_of_the_table():
    assert set(VALUE_KEYS) == set(KINDS)


def test_the_ontology_declares_each_kind_s_literal_as_the_table_does():
    assert ontology_mismatches(_annotations(ROOT / "ontology" / "memorial.ttl")) == []


def test_a_disagreeing_ontology_is_named_with_the_class_to_fix():
    annotations = _annotations(ROOT / "ontology" / "memorial.ttl")
    annotations.pop(ns.MG + "Name")
    annotations[ns.MG + "Claim"] = ns.MG + "note"
    problems = ontology_mismatches(annotations)
    assert any("mg:Name needs mg:valueProperty crm:P190_has_symbolic_content" in p for p in problems)
    assert any("mg:Claim has mg:valueProperty" in p for p in problems)


def test_value_nodes_are_read_back_by_their_class():
    assert kind_of_node([ns.MG + "Count"]).key == "count"
    assert kind_of_node([ns.MG + "TimeSpan"]).key == "when"
    assert kind_of_node([]).key == "entity"
