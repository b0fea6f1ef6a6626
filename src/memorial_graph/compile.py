"""Turn authoring records into RDF quads (pyoxigraph terms) following the claim model.

Every claim becomes a `mg:Claim` node (a `crm:E13_Attribute_Assignment`) with its subject,
property, value node, rank, qualifiers and one `mg:Evidence` node per cited source. For each
claim that is not qualified to a part of a population and not deprecated, the plain shortcut
triple (subject, property, value) is added too; SHACL checks that every shortcut is backed.

pyoxigraph terms rather than rdflib are used here because this runs once per triple of an
archive of millions of claims (rdflib is ~10x slower to build and serialise).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from . import namespaces as ns
from .authoring import Claim, Collection, When
from .errors import DataError, Location
from .uris import Uris

ENTITY_TYPES = {
    "Person", "Group", "MilitaryUnit", "Place", "Country", "Settlement", "District", "Station",
    "Event", "Commemoration", "Production", "HumanMadeObject", "Monument", "MonumentPart",
    "Photograph", "Inscription", "Material", "PopulationCategory",
}
SOURCE_TYPES = {"Source", "Article", "WebPage", "List", "Testimony"}
RANKS = {"preferred": "PreferredRank", "normal": "NormalRank", "deprecated": "DeprecatedRank"}
UNITS = {"metre", "person", "family", "year"}
NAME_PROPERTIES = {ns.SKOS + "prefLabel", ns.SKOS + "altLabel"}


def _n(iri: str) -> NamedNode:
    return NamedNode(iri)


RDF_TYPE = _n(ns.RDF + "type")
XSD_STRING = _n(ns.XSD + "string")
XSD_DATE = _n(ns.XSD + "date")
XSD_DATETIME = _n(ns.XSD + "dateTime")
XSD_DECIMAL = _n(ns.XSD + "decimal")
XSD_INTEGER = _n(ns.XSD + "integer")
XSD_BOOLEAN = _n(ns.XSD + "boolean")
XSD_GYEAR = _n(ns.XSD + "gYear")
XSD_GYEARMONTH = _n(ns.XSD + "gYearMonth")


def mg(local: str) -> NamedNode:
    return _n(ns.MG + local)


def crm(local: str) -> NamedNode:
    return _n(ns.CRM + local)


@dataclass
class Compiled:
    """The collection as quads in one named graph, plus where each node was authored."""

    graph: NamedNode
    quads: list[Quad]
    locations: dict[str, Location] = field(default_factory=dict)
    retired: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)


_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_DAYS = {1: 31, 2: 29, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}


def edtf_bounds(edtf: str) -> tuple[str, str] | None:
    """Outer bounds (first day, last day) of a simple EDTF date or interval, or None.

    Handles YYYY, YYYY-MM, YYYY-MM-DD, with the ~ ? % qualifiers, and intervals A/B of those.
    The bounds never claim more precision than the string: "1992" spans the whole year.
    """
    parts = edtf.split("/")
    if len(parts) > 2:
        return None
    lows, highs = [], []
    for part in parts:
        m = _DATE.match(part.strip().rstrip("~?%"))
        if not m:
            return None
        year, month, day = m.group(1), m.group(2), m.group(3)
        if month and not 1 <= int(month) <= 12:
            return None
        lows.append(f"{year}-{month or '01'}-{day or '01'}")
        if day:
            highs.append(f"{year}-{month}-{day}")
        elif month:
            last = _DAYS[int(month)]
            if int(month) == 2 and not _leap(int(year)):
                last = 28
            highs.append(f"{year}-{month}-{last:02d}")
        else:
            highs.append(f"{year}-12-31")
    return lows[0], highs[-1]


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def date_literal(value: str) -> Literal:
    """A date literal at the precision given: xsd:gYear, xsd:gYearMonth or xsd:date."""
    m = _DATE.match(value)
    if not m:
        return Literal(value)
    if m.group(3):
        return Literal(value, datatype=XSD_DATE)
    if m.group(2):
        return Literal(value, datatype=XSD_GYEARMONTH)
    return Literal(value, datatype=XSD_GYEAR)


class _Emitter:
    def __init__(self, graph: NamedNode):
        self.graph = graph
        self.quads: list[Quad] = []

    def add(self, s: NamedNode, p: NamedNode, o) -> None:
        self.quads.append(Quad(s, p, o, self.graph))


def _number(value) -> Literal:
    if isinstance(value, bool):
        return Literal(str(value).lower())
    if isinstance(value, int):
        # xsd:integer, not xsd:nonNegativeInteger: Oxigraph stores derived integer types as
        # xsd:integer, and dumps and served documents must agree. SHACL checks the sign.
        return Literal(str(value), datatype=XSD_INTEGER)
    try:
        Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Literal(str(value))
    return Literal(str(value), datatype=XSD_DECIMAL)


def _timespan(out: _Emitter, node: NamedNode, when: When) -> None:
    out.add(node, RDF_TYPE, mg("TimeSpan"))
    out.add(node, mg("edtf"), Literal(when.edtf))
    bounds = edtf_bounds(when.edtf)
    begin = when.begin or (bounds[0] if bounds else None)
    end = when.end or (bounds[1] if bounds else None)
    # CIDOC-CRM gives time-span bounds as xsd:dateTime (also the type OWL 2 reasoners accept).
    if begin:
        out.add(node, crm("P82a_begin_of_the_begin"), _bound(begin, "T00:00:00"))
    if end:
        out.add(node, crm("P82b_end_of_the_end"), _bound(end, "T23:59:59"))


def _bound(day: str, clock: str) -> Literal:
    if "T" in day or not _DATE.match(day) or day.count("-") < 2:
        return Literal(day)
    return Literal(day + clock, datatype=XSD_DATETIME)


_UNRESERVED_ESCAPE = re.compile(r"%(2[Dd]|2[Ee]|5[Ff]|7[Ee]|[46][1-9A-Fa-f]|[57][0-9Aa]|3[0-9])")


def normalise_url(url: str) -> str:
    """Decode percent-encoded unreserved characters (RFC 3986 section 6.2.2.2)."""
    return _UNRESERVED_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), url)


def seed_paragraph(seeds_dir: Path | None, seed: str | None, number: int) -> str | None:
    """Paragraph `number` of a source's retrieved copy (0 = title), or None if not at hand."""
    if not seeds_dir or not seed:
        return None
    path = Path(seeds_dir) / seed
    if not path.is_file():
        return None
    blocks = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return blocks[number] if 0 <= number < len(blocks) else None


def _title(fields: dict, seeds_dir: Path | None) -> str | None:
    title = fields.get("title")
    if isinstance(title, dict):
        text = seed_paragraph(seeds_dir, fields.get("seed"), int(title.get("paragraph", 0)))
        if text is None:
            return fields.get("short_title")
        words = title.get("words")
        return " ".join(text.split()[:int(words)]) if words else text
    return None if title is None else str(title)


def compile_collection(collection: Collection, uris: Uris,
                       known_properties: Iterable[str] = (),
                       seeds_dir: Path | None = None) -> Compiled:
    """Compile the collection; raise DataError naming file:line for every broken reference."""
    problems: list[tuple[Location | None, str]] = []
    known_props = set(known_properties)
    graph = _n(uris.collection_graph)
    out = _Emitter(graph)
    compiled = Compiled(graph, out.quads)

    # Identifiers: unique across sources, entities and claims, and never a retired one.
    seen: dict[str, Location] = {}
    retired = {r.id: r for r in collection.retired}

    def claim_id(ident: str, loc: Location) -> None:
        if ident in seen:
            problems.append((loc, f"identifier '{ident}' is already used at {seen[ident]}; "
                                  f"identifiers are never shared or reused"))
        elif ident in retired:
            problems.append((loc, f"identifier '{ident}' was retired at {retired[ident].loc} "
                                  f"and may never be reused; run `memorial-graph new-id`"))
        else:
            seen[ident] = loc

    for src in collection.sources:
        claim_id(src.id, src.loc)
    for ent in collection.entities:
        claim_id(ent.id, ent.loc)
        for c in ent.claims:
            claim_id(c.id, c.loc)
    entity_ids = {e.id for e in collection.entities}
    source_ids = {s.id for s in collection.sources}
    for r in collection.retired:
        if r.successor and r.successor not in entity_ids and r.successor not in source_ids:
            problems.append((r.loc, f"retired identifier '{r.id}' names successor "
                                    f"'{r.successor}', which is not in the collection"))
        compiled.retired[r.id] = (r.successor, r.reason)

    def prop(curie: str, loc: Location, what: str) -> NamedNode | None:
        try:
            iri = ns.expand(curie)
        except KeyError:
            problems.append((loc, f"{what}: unknown prefix in '{curie}'; known prefixes: "
                                  f"{', '.join(sorted(ns.PREFIXES))}"))
            return None
        if known_props and iri not in known_props:
            problems.append((loc, f"{what}: property '{curie}' is not defined in the ontology "
                                  f"(ontology/memorial.ttl)"))
            return None
        return _n(iri)

    for src in collection.sources:
        s = _n(uris.entity(src.id))
        compiled.locations[s.value] = src.loc
        if src.type not in SOURCE_TYPES:
            problems.append((src.loc, f"source {src.id}: unknown type '{src.type}'; use one of "
                                      f"{', '.join(sorted(SOURCE_TYPES))}"))
        out.add(s, RDF_TYPE, mg(src.type))
        f = src.fields
        lang = f.get("language")
        title = _title(f, seeds_dir)
        if title is not None:
            out.add(s, _n(ns.DCTERMS + "title"),
                    Literal(title, language=lang) if lang else Literal(title))
        if f.get("short_title") is not None:
            out.add(s, _n(ns.SCHEMA + "alternativeHeadline"), Literal(str(f["short_title"]),
                                                                       language="en"))
        if f.get("url") is not None:
            out.add(s, _n(ns.SCHEMA + "url"), _n(normalise_url(str(f["url"]))))
        if f.get("identifier") is not None:
            out.add(s, _n(ns.DCTERMS + "identifier"), Literal(str(f["identifier"])))
        if f.get("publisher") is not None:
            out.add(s, _n(ns.DCTERMS + "publisher"), Literal(str(f["publisher"])))
        if lang is not None:
            out.add(s, _n(ns.DCTERMS + "language"), Literal(str(lang)))
        if f.get("published") is not None:
            out.add(s, _n(ns.DCTERMS + "issued"), date_literal(str(f["published"])))
        if f.get("retrieved") is not None:
            out.add(s, mg("retrievedOn"), date_literal(str(f["retrieved"])))
        if f.get("paragraphs") is not None:
            out.add(s, mg("paragraphCount"), _number(f["paragraphs"]))
        if f.get("seed") is not None:
            out.add(s, mg("seedFile"), Literal(str(f["seed"])))
        if f.get("description") is not None:
            out.add(s, _n(ns.DCTERMS + "description"), Literal(str(f["description"]), language="en"))
        if f.get("author") is not None:
            if f["author"] not in entity_ids:
                problems.append((src.loc, f"source {src.id}: author '{f['author']}' is not an "
                                          f"entity of the collection"))
            out.add(s, _n(ns.SCHEMA + "author"), _n(uris.entity(str(f["author"]))))

    for ent in collection.entities:
        s = _n(uris.entity(ent.id))
        compiled.locations[s.value] = ent.loc
        if ent.type not in ENTITY_TYPES:
            problems.append((ent.loc, f"entity {ent.id}: unknown type '{ent.type}'; use one of "
                                      f"{', '.join(sorted(ENTITY_TYPES))}"))
        out.add(s, RDF_TYPE, mg(ent.type))
        for same in ent.same_as:
            try:
                out.add(s, _n(ns.OWL + "sameAs"), _n(ns.expand(str(same))))
            except KeyError:
                problems.append((ent.loc, f"entity {ent.id}: same_as '{same}' needs a known "
                                          f"prefix such as wd:"))
        for claim in ent.claims:
            _compile_claim(out, compiled, claim, s, uris, entity_ids, source_ids, prop, problems)

    if problems:
        raise DataError(problems)
    return compiled


def _compile_claim(out: _Emitter, compiled: Compiled, claim: Claim, subject: NamedNode,
                   uris: Uris, entity_ids: set[str], source_ids: set[str], prop,
                   problems: list) -> None:
    c = _n(uris.entity(claim.id))
    loc = claim.loc
    compiled.locations[c.value] = loc
    what = f"claim {claim.id}"
    p = prop(claim.property, loc, what)
    if p is None:
        return
    out.add(c, RDF_TYPE, mg("Claim"))
    out.add(c, crm("P140_assigned_attribute_to"), subject)
    out.add(c, crm("P177_assigned_property_of_type"), p)

    value_node = _n(uris.entity(claim.id) + "#value")
    shortcut = None
    if claim.kind == "entity":
        if claim.value not in entity_ids:
            problems.append((loc, f"{what}: entity '{claim.value}' is not in the collection"))
        value_node = _n(uris.entity(str(claim.value)))
        shortcut = value_node
    elif claim.kind == "name":
        if p.value not in NAME_PROPERTIES:
            problems.append((loc, f"{what}: a name's property must be skos:prefLabel or "
                                  f"skos:altLabel (got {claim.property})"))
        shortcut = Literal(str(claim.value), language=claim.lang) if claim.lang else \
            Literal(str(claim.value))
        out.add(value_node, RDF_TYPE, mg("Name"))
        out.add(value_node, crm("P190_has_symbolic_content"), shortcut)
    elif claim.kind in ("count", "quantity"):
        shortcut = _number(claim.value)
        out.add(value_node, RDF_TYPE, mg("Count" if claim.kind == "count" else "Quantity"))
        out.add(value_node, crm("P90_has_value"), shortcut)
        unit = claim.unit or ("person" if claim.kind == "count" else None)
        if unit is None:
            problems.append((loc, f"{what}: a quantity needs a 'unit' ({', '.join(sorted(UNITS))})"))
        elif unit not in UNITS:
            problems.append((loc, f"{what}: unknown unit '{unit}'; use one of "
                                  f"{', '.join(sorted(UNITS))}"))
        else:
            out.add(value_node, crm("P91_has_unit"), mg(unit))
    elif claim.kind == "when":
        if claim.value is None:
            return
        _timespan(out, value_node, claim.value)
        shortcut = value_node
    elif claim.kind == "text":
        shortcut = Literal(str(claim.value), language=claim.lang) if claim.lang else \
            Literal(str(claim.value))
        out.add(value_node, RDF_TYPE, mg("TextValue"))
        out.add(value_node, mg("text"), shortcut)
    out.add(c, crm("P141_assigned"), value_node)

    rank = RANKS.get(claim.rank)
    if rank is None:
        problems.append((loc, f"{what}: rank must be preferred, normal or deprecated "
                              f"(got {claim.rank!r})"))
    else:
        out.add(c, mg("rank"), mg(rank))
    if claim.rank_reason:
        out.add(c, mg("rankReason"), Literal(str(claim.rank_reason)))
    if claim.approximate:
        out.add(c, mg("approximate"), Literal("true", datatype=XSD_BOOLEAN))
    if claim.applies_to is not None:
        if claim.applies_to not in entity_ids:
            problems.append((loc, f"{what}: applies_to '{claim.applies_to}' is not an entity "
                                  f"of the collection"))
        out.add(c, mg("appliesTo"), _n(uris.entity(str(claim.applies_to))))
    if claim.valid_during is not None:
        valid = _n(uris.entity(claim.id) + "#valid")
        _timespan(out, valid, claim.valid_during)
        out.add(c, mg("validDuring"), valid)
    if claim.role:
        out.add(c, mg("role"), Literal(str(claim.role), language="en"))
    if claim.note:
        out.add(c, mg("note"), Literal(str(claim.note), language="en"))

    for n, ev in enumerate(claim.evidence, start=1):
        e = _n(f"{uris.entity(claim.id)}#ev{n}")
        compiled.locations[e.value] = ev.loc
        out.add(c, crm("P16_used_specific_object"), e)
        out.add(e, RDF_TYPE, mg("Evidence"))
        if ev.source is not None:
            if ev.source not in source_ids:
                problems.append((ev.loc, f"{what}: cites source '{ev.source}', which is not "
                                         f"defined in a 'sources:' list"))
            out.add(e, _n(ns.OA + "hasSource"), _n(uris.entity(str(ev.source))))
        paragraphs = ev.paragraph if isinstance(ev.paragraph, list) else [ev.paragraph]
        for paragraph in paragraphs:
            if paragraph is not None:
                out.add(e, mg("paragraph"), _number(paragraph))
        if ev.start is not None or ev.end is not None:
            sel = _n(f"{uris.entity(claim.id)}#ev{n}-selector")
            out.add(e, _n(ns.OA + "hasSelector"), sel)
            out.add(sel, RDF_TYPE, _n(ns.OA + "TextPositionSelector"))
            if ev.start is not None:
                out.add(sel, _n(ns.OA + "start"), _number(ev.start))
            if ev.end is not None:
                out.add(sel, _n(ns.OA + "end"), _number(ev.end))

    if claim.applies_to is None and claim.rank != "deprecated" and shortcut is not None:
        out.add(subject, p, shortcut)
