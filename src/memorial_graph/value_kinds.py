"""Claim value kinds: what a claim can assign, defined once.

Each kind says how it is authored (its field in a claim record), how it is compiled to RDF
(the value node and the shortcut triple's object), how it is read back from a document and
shown. The SHACL shapes and the saved queries find a value's literal through the ontology's
`mg:valueProperty` annotation on the kind's class, which the build checks against this table.

Adding a kind (a coordinate, say) is one entry here plus its class in ontology/memorial.ttl.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import namespaces as ns
from . import terms as t
from .search_keys import search_key

NAME_PROPERTIES = {ns.SKOS + "prefLabel", ns.SKOS + "altLabel"}
# The units a count or quantity may have, and how a page shows them after a number (singular,
# plural); people are the default unit of a count and go without saying.
UNITS: dict[str, tuple[str, str]] = {
    "metre": ("m", "m"), "person": ("", ""), "family": ("family", "families"),
    "year": ("year", "years"),
}
VALUE_PROPERTY = ns.MG + "valueProperty"


@dataclass
class Value:
    """A claim's value as a page shows it."""

    text: str
    href: str | None = None
    lang: str | None = None
    kind: str = "literal"
    edtf: str | None = None     # a date's EDTF, for a page to write in its reader's language


@dataclass
class Compiling:
    """What a kind's compiler is given: the claim, where to write, how to report."""

    claim: Any                           # build.authoring.Claim
    property: str                        # the claim's property IRI
    node: t.Term                         # the claim's own value node (<claim#value>)
    add: Callable[[t.Term, t.Term, t.Term], None]
    problem: Callable[[str], None]
    entity: Callable[[str], t.Term]      # an entity id as a term (reports unknown ids)


@dataclass
class Reading:
    """What a kind's reader is given: the value node and lookups into the document."""

    node: str                                        # the value node's IRI
    claim: str                                       # the claim's IRI
    one: Callable[[str, str], Any]                   # first object of (s, p), or None
    label: Callable[[str], str]                      # a display label for an IRI
    href: Callable[[str], str]                       # where a browser goes for an IRI


@dataclass(frozen=True)
class ValueKind:
    key: str                               # the authoring field that carries the value
    rdf_class: str | None                  # the value node's class (None: the value is an entity)
    literal: str | None                    # the predicate holding its literal
    compile: Callable[[Compiling], tuple[t.Term, t.Term] | None]   # -> (value node, shortcut)
    read: Callable[[Reading], Value]


def timespan(add, node: t.Term, when) -> None:
    """A CIDOC-CRM time-span node from an EDTF date (also used for `valid_during`)."""
    add(node, t.RDF_TYPE, t.mg("TimeSpan"))
    add(node, t.mg("edtf"), t.literal(when.edtf))
    bounds = t.edtf_bounds(when.edtf)
    begin = when.begin or (bounds[0] if bounds else None)
    end = when.end or (bounds[1] if bounds else None)
    if begin:
        add(node, t.crm("P82a_begin_of_the_begin"), t.bound(begin, "T00:00:00"))
    if end:
        add(node, t.crm("P82b_end_of_the_end"), t.bound(end, "T23:59:59"))


def edtf_text(edtf: str) -> str:
    return edtf.replace("/", " to ")


def _text_literal(c: Compiling) -> t.Term:
    return t.literal(str(c.claim.value), language=c.claim.lang)


# ---- compile
def _compile_entity(c: Compiling):
    node = c.entity(str(c.claim.value))
    return node, node


def _compile_name(c: Compiling):
    if c.property not in NAME_PROPERTIES:
        c.problem(f"a name's property must be skos:prefLabel or skos:altLabel "
                  f"(got {c.claim.property})")
    shortcut = _text_literal(c)
    c.add(c.node, t.RDF_TYPE, t.mg("Name"))
    c.add(c.node, t.crm("P190_has_symbolic_content"), shortcut)
    c.add(c.node, t.mg("searchKey"), t.literal(search_key(str(c.claim.value))))
    return c.node, shortcut


def _compile_number(default_unit: str | None, cls: str):
    def compile_number(c: Compiling):
        shortcut = t.number(c.claim.value)
        c.add(c.node, t.RDF_TYPE, t.mg(cls))
        c.add(c.node, t.crm("P90_has_value"), shortcut)
        unit = c.claim.unit or default_unit
        if unit is None:
            c.problem(f"a quantity needs a 'unit' ({', '.join(sorted(UNITS))})")
        elif unit not in UNITS:
            c.problem(f"unknown unit '{unit}'; use one of {', '.join(sorted(UNITS))}")
        else:
            c.add(c.node, t.crm("P91_has_unit"), t.mg(unit))
        return c.node, shortcut

    return compile_number


def _compile_when(c: Compiling):
    if c.claim.value is None:
        return None
    timespan(c.add, c.node, c.claim.value)
    return c.node, c.node


def _compile_text(c: Compiling):
    shortcut = _text_literal(c)
    c.add(c.node, t.RDF_TYPE, t.mg("TextValue"))
    c.add(c.node, t.mg("text"), shortcut)
    return c.node, shortcut


# ---- read back
def _read_entity(r: Reading) -> Value:
    return Value(r.label(r.node), href=r.href(r.node), kind="entity")


def _read_literal(predicate: str, kind: str):
    def read(r: Reading) -> Value:
        lit = r.one(r.node, predicate)
        return Value(lit.value, lang=lit.language, kind=kind) if lit is not None \
            else Value(r.node, kind=kind)

    return read


def number_text(number: str, unit: str | None, approximate: bool,
                label: Callable[[str], str]) -> str:
    """A count or quantity as a reader sees it: "about 9 m", "8 families", "613"; a unit not
    in UNITS is shown by its label."""
    unit_text = ""
    if unit is not None:
        names = UNITS.get(unit.removeprefix(ns.MG)) if unit.startswith(ns.MG) else None
        if names is None:
            unit_text = " " + label(unit)
        else:
            name = names[0] if number in ("1", "1.0") else names[1]
            unit_text = " " + name if name else ""
    return ("about " if approximate else "") + number + unit_text


def _read_number(r: Reading) -> Value:
    number = r.one(r.node, ns.CRM + "P90_has_value")
    unit = r.one(r.node, ns.CRM + "P91_has_unit")
    approximate = r.one(r.claim, ns.MG + "approximate") is not None
    return Value(number_text(number.value if number else "", unit.value if unit else None,
                             approximate, r.label), kind="quantity")


def _read_when(r: Reading) -> Value:
    edtf = r.one(r.node, ns.MG + "edtf")
    return Value(edtf_text(edtf.value) if edtf is not None else r.node, kind="date",
                 edtf=edtf.value if edtf is not None else None)


def literal_text(value_class: str | None, literal: str, unit: str | None = None,
                 approximate: bool = False, label: Callable[[str], str] = str) -> str:
    """A value's literal as a reader sees it, for a value known only by its class and literal
    (a query's row rather than a document): numbers with their unit, dates in words."""
    kind = kind_of_node([value_class] if value_class else [])
    if kind.read is _read_number:
        return number_text(literal, unit, approximate, label)
    if kind.read is _read_when:
        return edtf_text(literal)
    return literal


KINDS: dict[str, ValueKind] = {k.key: k for k in (
    ValueKind("entity", None, None, _compile_entity, _read_entity),
    ValueKind("name", ns.MG + "Name", ns.CRM + "P190_has_symbolic_content", _compile_name,
              _read_literal(ns.CRM + "P190_has_symbolic_content", "name")),
    ValueKind("count", ns.MG + "Count", ns.CRM + "P90_has_value",
              _compile_number("person", "Count"), _read_number),
    ValueKind("quantity", ns.MG + "Quantity", ns.CRM + "P90_has_value",
              _compile_number(None, "Quantity"), _read_number),
    ValueKind("when", ns.MG + "TimeSpan", ns.MG + "edtf", _compile_when, _read_when),
    ValueKind("text", ns.MG + "TextValue", ns.MG + "text", _compile_text,
              _read_literal(ns.MG + "text", "text")),
)}
BY_CLASS = {k.rdf_class: k for k in KINDS.values() if k.rdf_class}


def kind_of_node(types: list[str]) -> ValueKind:
    """The kind of a value node, from its classes (an entity when it has none of ours)."""
    for cls in types:
        if cls in BY_CLASS:
            return BY_CLASS[cls]
    return KINDS["entity"]


def ontology_mismatches(annotations: dict[str, str]) -> list[str]:
    """Where the ontology's `mg:valueProperty` annotations (class -> predicate) disagree with
    this table; empty when they agree."""
    expected = {k.rdf_class: k.literal for k in KINDS.values() if k.rdf_class}
    out = []
    for cls, predicate in sorted(expected.items()):
        if annotations.get(cls) != predicate:
            out.append(f"ontology/memorial.ttl: class {ns.compact(cls)} needs "
                       f"mg:valueProperty {ns.compact(predicate)} (it is a claim value kind)")
    for cls in sorted(set(annotations) - set(expected)):
        out.append(f"ontology/memorial.ttl: class {ns.compact(cls)} has mg:valueProperty but "
                   f"is no claim value kind in value_kinds.py")
    return out
