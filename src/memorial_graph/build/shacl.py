"""The SHACL gate with pySHACL, the reference validator (`fast_shacl.py` is the quick one).

Violations are reported in an archivist's terms: the file and line where the offending record
was authored, the rule's own message, and the property and value involved.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH

from .. import namespaces as ns
from ..errors import Location


@dataclass(frozen=True, order=True)
class Violation:
    focus: str
    message: str
    path: str | None
    value: str | None
    severity: str
    component: str

    def describe(self, locations: dict[str, Location]) -> str:
        loc = locations.get(self.focus) or locations.get(self.focus.split("#", 1)[0])
        where = f"{loc}: " if loc else ""
        details = [f"node <{self.focus}>"]
        if self.path:
            details.append(f"property {ns.compact(self.path)}")
        if self.value and self.value != self.focus:   # a rule about the node itself has no value
            details.append(f"value {self.value}")
        return f"{where}{self.message} [{', '.join(details)}; {self.component}]"


def quads_to_rdflib(quads: list[ox.Quad]) -> rdflib.Graph:
    """Triples of the quads (graph names dropped) as an rdflib Graph, via N-Triples."""
    data = ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in quads),
                        format=ox.RdfFormat.N_TRIPLES)
    g = rdflib.Graph()
    g.parse(data=data, format="nt")
    return g


def to_ox(term):
    """An rdflib term as the equal pyoxigraph term."""
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return ox.NamedNode(str(term))


def load_graph(path: Path) -> rdflib.Graph:
    """A Turtle file (the ontology, the shapes) as an rdflib graph."""
    g = rdflib.Graph()
    g.parse(path, format="turtle")
    return g


def _term(node) -> str | None:
    if node is None:
        return None
    if isinstance(node, rdflib.Literal):
        return node.n3()
    return str(node)


def shacl_violations(data: rdflib.Graph, shapes: rdflib.Graph,
                     ontology: rdflib.Graph) -> list[Violation]:
    """Run pySHACL over the data plus the ontology; return every result, sorted."""
    import pyshacl

    logging.getLogger("pyshacl").setLevel(logging.ERROR)
    # The ontology is merged in by hand: pySHACL's own ont_graph mixing leaves out annotation
    # triples such as mg:claimBacked, which the shortcut rule reads.
    merged = rdflib.Graph()
    for triple in data:
        merged.add(triple)
    for triple in ontology:
        merged.add(triple)
    _conforms, report, _text = pyshacl.validate(
        merged, shacl_graph=shapes, inference="none",
        advanced=True, abort_on_first=False, allow_warnings=True, meta_shacl=False,
    )
    if not isinstance(report, rdflib.Graph):  # pySHACL could not run the shapes at all
        raise RuntimeError(f"pySHACL failed: {report}")
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        message = report.value(result, SH.resultMessage)
        component = report.value(result, SH.sourceConstraintComponent)
        severity = report.value(result, SH.resultSeverity)
        out.append(Violation(
            focus=str(report.value(result, SH.focusNode)),
            message=str(message) if message is not None else "constraint not met",
            path=_term(report.value(result, SH.resultPath)),
            value=_term(report.value(result, SH.value)),
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            component=str(component).rsplit("#", 1)[-1] if component else "",
        ))
    return sorted(set(out), key=lambda v: (v.focus, v.message, v.path or "", v.value or "",
                                           v.component))
