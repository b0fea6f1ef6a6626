"""Regression: the first `/doc/{id}` of the busiest entity of 100k claims took 17-21 s.

The part of queries/entity-document.rq naming the editors a label is attributed to joined
`?who a ?type` after a UNION of the two ways an editor is named, and the engine evaluated
that pattern first: every typed node of the collection, for each document (17.1 s for that
part alone; 1 ms once each branch started from the entity). The document view runs inline,
so the first render also held every other request of its web worker.

A speed defect is measured by the benchmark (the deref rows), not by a timed test; what is
pinned here is the shape that caused it: in no part of the document query is a pattern that
names neither the entity nor any constant node joined with a UNION, where the engine may
start from it.
"""

from __future__ import annotations

import re

import pytest
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from memorial_graph.queries import load

ENTITY = Variable("entity")


def _parts(text: str) -> list[tuple[str, str]]:
    prologue, *rest = re.split(r"(?m)^#%%(.*)\n", text)
    return [(rest[i].strip(), prologue + rest[i + 1]) for i in range(0, len(rest), 2)]


def _anchored(bgp: CompValue) -> bool:
    """Whether a basic graph pattern starts from something: the entity or a constant node
    (in subject or object position; a predicate such as rdf:type selects nothing)."""
    return any(term == ENTITY or not isinstance(term, Variable)
               for s, _p, o in bgp["triples"] for term in (s, o))


def _loose_joins(node) -> list[str]:
    """Every unanchored pattern joined with a UNION, anywhere under `node`."""
    found = []
    if isinstance(node, CompValue):
        if node.name == "Join":
            sides = (node["p1"], node["p2"])
            for one, other in (sides, sides[::-1]):
                if getattr(one, "name", None) == "Union" and \
                        getattr(other, "name", None) == "BGP" and not _anchored(other):
                    found.append(" . ".join(f"{s.n3()} {p.n3()} {o.n3()}"
                                            for s, p, o in other["triples"]))
        for value in node.values():
            found += _loose_joins(value)
    elif isinstance(node, list | tuple):
        for value in node:
            found += _loose_joins(value)
    return found


PARTS = _parts(load("entity-document"))


@pytest.mark.parametrize(("title", "text"), PARTS, ids=[title for title, _ in PARTS])
def test_no_document_part_joins_a_union_with_a_pattern_of_every_node(title, text):
    algebra = prepareQuery(text).algebra
    assert _loose_joins(algebra) == [], f"the part '{title}' may start from every node"


def test_the_check_finds_the_shape_of_the_defect():
    before = """PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
    CONSTRUCT { ?who a ?type ; skos:prefLabel ?label } WHERE {
      { ?c crm:P140_assigned_attribute_to ?entity ; prov:wasAttributedTo ?who }
      UNION { ?entity prov:wasAttributedTo ?who }
      ?who a ?type .
      OPTIONAL { ?who skos:prefLabel ?label }
    }"""
    assert _loose_joins(prepareQuery(before).algebra) == [
        "?who <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?type"]
