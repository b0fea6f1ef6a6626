"""Every SHACL rule has a fixture that breaks it, and the archivist sees that rule's message."""

from __future__ import annotations

import re

import pytest
import rdflib

from memorial_graph.build.shacl import load_graph, shacl_violations
from tests.conftest import ROOT

PREFIXES = """
@prefix mg: <https://w3id.org/memorial-graph/ontology#> .
@prefix id: <https://w3id.org/memorial-graph/id/> .
@prefix crm: <http://www.cidoc-crm.org/cidoc-crm/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
"""

# A minimal collection that conforms: one source, one person, one cited name claim.
BASE = PREFIXES + """
id:s1 a mg:Article ; dcterms:title "A report"@en ; schema:url <http://example.org/report> ;
    dcterms:language "en" ; mg:paragraphCount 5 ; dcterms:issued "2026-02"^^xsd:gYearMonth ;
    mg:retrievedOn "2026-11-25"^^xsd:date .
id:e1 a mg:Person ; skos:prefLabel "Ada"@en .
id:c1 a mg:Claim ; crm:P140_assigned_attribute_to id:e1 ;
    crm:P177_assigned_property_of_type skos:prefLabel ; crm:P141_assigned <https://w3id.org/memorial-graph/id/c1#value> ;
    mg:rank mg:NormalRank ; crm:P16_used_specific_object <https://w3id.org/memorial-graph/id/c1#ev1> .
<https://w3id.org/memorial-graph/id/c1#value> a mg:Name ; crm:P190_has_symbolic_content "Ada"@en .
<https://w3id.org/memorial-graph/id/c1#ev1> a mg:Evidence ; oa:hasSource id:s1 ;
    mg:paragraph "1"^^xsd:integer .
"""

# A second claim of the given kind, for value rules.
COUNT_CLAIM = """
id:c2 a mg:Claim ; crm:P140_assigned_attribute_to id:e1 ;
    crm:P177_assigned_property_of_type mg:numberKilled ; crm:P141_assigned id:c2v ;
    mg:rank mg:NormalRank ; crm:P16_used_specific_object id:c2e .
id:c2e a mg:Evidence ; oa:hasSource id:s1 ; mg:paragraph "2"^^xsd:integer .
"""
TIME_CLAIM = """
id:c3 a mg:Claim ; crm:P140_assigned_attribute_to id:e1 ;
    crm:P177_assigned_property_of_type crm:P4_has_time-span ; crm:P141_assigned id:c3v ;
    mg:rank mg:NormalRank ; crm:P16_used_specific_object id:c3e .
id:c3e a mg:Evidence ; oa:hasSource id:s1 ; mg:paragraph "2"^^xsd:integer .
"""

# The name claim as a label the editors give: attributed to the editors, citing no source.
EDITORS_LABEL = """
id:c1 a mg:EditorsLabel ; prov:wasAttributedTo <https://w3id.org/memorial-graph/void#editors> .
<https://w3id.org/memorial-graph/void#editors> a mg:Editors ; skos:prefLabel "editors of a collection"@en .
"""
EDITORS_COUNT = """
id:c2 a mg:Claim, mg:EditorsLabel ; crm:P140_assigned_attribute_to id:e1 ;
    crm:P177_assigned_property_of_type mg:numberKilled ; crm:P141_assigned id:c2v ;
    mg:rank mg:NormalRank ; prov:wasAttributedTo <https://w3id.org/memorial-graph/void#editors> .
id:c2v a mg:Count ; crm:P90_has_value "5"^^xsd:integer ; crm:P91_has_unit mg:person .
<https://w3id.org/memorial-graph/void#editors> a mg:Editors .
"""

EV1 = "https://w3id.org/memorial-graph/id/c1#ev1"
C1 = "https://w3id.org/memorial-graph/id/c1"
S1 = "https://w3id.org/memorial-graph/id/s1"
E1 = "https://w3id.org/memorial-graph/id/e1"
CRM = "http://www.cidoc-crm.org/cidoc-crm/"
MG = "https://w3id.org/memorial-graph/ontology#"

# (case, triples to remove as (subject, predicate), Turtle to add, expected message fragment)
CASES = [
    ("claim-two-subjects", [], "id:c1 crm:P140_assigned_attribute_to id:s1 .",
     "exactly one entity"),
    ("claim-no-property", [(C1, CRM + "P177_assigned_property_of_type")], "",
     "exactly one property"),
    ("claim-no-value", [(C1, CRM + "P141_assigned")], "", "must give a value"),
    ("claim-no-rank", [(C1, MG + "rank")], "", "exactly one rank"),
    ("claim-unknown-rank", [(C1, MG + "rank")], "id:c1 mg:rank mg:BestRank .",
     "exactly one rank"),
    ("claim-no-evidence", [(C1, CRM + "P16_used_specific_object")], "",
     "cite at least one source"),
    ("claim-citing-a-source-directly", [], "id:c1 crm:P16_used_specific_object id:s1 .",
     "citation must be an evidence node"),
    ("editors-label-citing-a-source", [], EDITORS_LABEL, "label the editors give cites no source"),
    ("editors-label-not-attributed", [(C1, CRM + "P16_used_specific_object")],
     "id:c1 a mg:EditorsLabel .", "must be attributed to the collection's editors"),
    ("editors-label-attributed-to-a-person", [(C1, CRM + "P16_used_specific_object")],
     "id:c1 a mg:EditorsLabel ; prov:wasAttributedTo id:e1 .",
     "must be attributed to the collection's editors"),
    ("editors-label-not-a-name", [], EDITORS_COUNT, "Only a name can be given by the editors"),
    ("claim-preferred-without-reason", [(C1, MG + "rank")], "id:c1 mg:rank mg:PreferredRank .",
     "must say why"),
    ("claim-same-source-twice", [],
     "id:c1 crm:P16_used_specific_object id:c1e2 . id:c1e2 a mg:Evidence ; oa:hasSource id:s1 ; "
     "mg:paragraph \"3\"^^xsd:integer .", "cites the same source twice"),
    ("evidence-no-source", [(EV1, "http://www.w3.org/ns/oa#hasSource")], "",
     "exactly one source"),
    ("evidence-no-paragraph", [(EV1, MG + "paragraph")], "", "needs a paragraph number"),
    ("evidence-paragraph-not-a-number", [(EV1, MG + "paragraph")],
     "<https://w3id.org/memorial-graph/id/c1#ev1> mg:paragraph \"third\" .",
     "needs a paragraph number"),
    ("evidence-paragraph-negative", [(EV1, MG + "paragraph")],
     "<https://w3id.org/memorial-graph/id/c1#ev1> mg:paragraph \"-1\"^^xsd:integer .",
     "needs a paragraph number"),
    ("evidence-paragraph-past-end", [(EV1, MG + "paragraph")],
     "<https://w3id.org/memorial-graph/id/c1#ev1> mg:paragraph \"9\"^^xsd:integer .",
     "points past the end"),
    ("source-no-title", [(S1, "http://purl.org/dc/terms/title")], "", "needs a 'title:'"),
    ("source-no-language", [(S1, "http://purl.org/dc/terms/language")], "",
     "needs a 'language:'"),
    ("source-no-url-or-identifier", [(S1, "https://schema.org/url")], "",
     "needs a 'url:' or an 'identifier:'"),
    ("source-bad-published-date", [(S1, "http://purl.org/dc/terms/issued")],
     "id:s1 dcterms:issued \"last winter\" .", "'published:' must be one date"),
    ("source-bad-retrieved-date", [(S1, MG + "retrievedOn")],
     "id:s1 mg:retrievedOn \"2026\"^^xsd:gYear .", "'retrieved:' must be one date"),
    ("two-preferred-names-in-one-language", [], "id:e1 skos:prefLabel \"Ada L.\"@en .",
     "two preferred names in the same language"),
    ("entity-without-preferred-name", [(E1, "http://www.w3.org/2004/02/skos/core#prefLabel")],
     "", "needs a preferred name"),
    ("shortcut-not-backed", [], "id:e1 schema:nationality id:s1 .", "not backed by any claim"),
    ("count-negative", [], COUNT_CLAIM + "id:c2v a mg:Count ; crm:P90_has_value "
     "\"-5\"^^xsd:integer ; crm:P91_has_unit mg:person .", "whole number, zero or more"),
    ("count-fraction", [], COUNT_CLAIM + "id:c2v a mg:Count ; crm:P90_has_value "
     "\"6.5\"^^xsd:decimal ; crm:P91_has_unit mg:person .", "whole number, zero or more"),
    ("quantity-without-unit", [], COUNT_CLAIM + "id:c2v a mg:Quantity ; crm:P90_has_value "
     "\"9\"^^xsd:decimal .", "needs one 'unit:'"),
    ("quantity-negative", [], COUNT_CLAIM + "id:c2v a mg:Quantity ; crm:P90_has_value "
     "\"-9\"^^xsd:decimal ; crm:P91_has_unit mg:metre .", "one value, zero or more"),
    ("name-without-language", [], COUNT_CLAIM + "id:c2v a mg:Name ; "
     "crm:P190_has_symbolic_content \"Ada\" .", "its text and its language"),
    ("date-not-edtf", [], TIME_CLAIM + "id:c3v a mg:TimeSpan ; mg:edtf \"Feb 1992\" .",
     "A date must be EDTF"),
    ("date-range-reversed", [], TIME_CLAIM + "id:c3v a mg:TimeSpan ; mg:edtf \"1992-02-26/1992-02-25\" ; "
     "crm:P82a_begin_of_the_begin \"1992-02-26T00:00:00\"^^xsd:dateTime ; "
     "crm:P82b_end_of_the_end \"1992-02-25T23:59:59\"^^xsd:dateTime .", "ends before it begins"),
]


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return load_graph(ROOT / "ontology" / "shapes.ttl")


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return load_graph(ROOT / "ontology" / "memorial.ttl")


def _graph(remove, add) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=BASE, format="turtle")
    for s, p in remove:
        g.remove((rdflib.URIRef(s), rdflib.URIRef(p), None))
    if add:
        g.parse(data=PREFIXES + add, format="turtle")
    return g


def test_base_fixture_conforms(shapes, ontology):
    assert shacl_violations(_graph([], ""), shapes, ontology) == []


def test_a_label_the_editors_give_conforms_without_a_source(shapes, ontology):
    graph = _graph([(C1, CRM + "P16_used_specific_object")], EDITORS_LABEL)
    assert shacl_violations(graph, shapes, ontology) == []


@pytest.mark.parametrize("case,remove,add,expected", CASES, ids=[c[0] for c in CASES])
def test_each_rule_reports_its_message(shapes, ontology, case, remove, add, expected):
    messages = [v.message for v in shacl_violations(_graph(remove, add), shapes, ontology)]
    assert any(expected in m for m in messages), messages


def test_every_rule_in_the_shapes_has_a_breaking_case():
    text = (ROOT / "ontology" / "shapes.ttl").read_text(encoding="utf-8")
    rule_messages = re.findall(r'sh:message "([^"]+)"', text)
    covered = {c[3] for c in CASES}
    missing = [m for m in rule_messages if not any(fragment in m for fragment in covered)]
    assert not missing, f"rules without a breaking fixture: {missing}"
