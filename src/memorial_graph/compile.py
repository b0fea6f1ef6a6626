"""Turn authoring records into RDF quads (pyoxigraph terms) following the claim model.

Every claim becomes a `mg:Claim` node (a `crm:E13_Attribute_Assignment`) with its subject,
property, value node, rank, qualifiers and one `mg:Evidence` node per cited source. For each
claim that is not qualified to a part of a population and not deprecated, the plain shortcut
triple (subject, property, value) is added too; SHACL checks that every shortcut is backed.

Terms are written straight as N-Quads text (no rdflib, no pyoxigraph objects) because this runs
once per triple of an archive of millions of claims: building a term object per triple cost
more than everything else here. The lines go to a sink (the release's dataset.nq while
building, a list for `validate`); pyoxigraph parses them, so a malformed term cannot slip by.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import pyoxigraph as ox

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


NamedNode = str  # an IRI written as N-Triples: <...>
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _n(iri: str) -> NamedNode:
    return f"<{iri}>"


def checked_iri(iri: str) -> NamedNode:
    """An IRI from authoring input: pyoxigraph checks its syntax (ValueError if malformed)."""
    return f"<{ox.NamedNode(iri).value}>"


def Literal(value: str, language: str | None = None, datatype: str | None = None) -> str:  # noqa: N802
    text = '"' + value.translate(_ESCAPES) + '"'
    if language:
        return f"{text}@{language}"
    if datatype and datatype != XSD_STRING:
        return f"{text}^^{datatype}"
    return text


def iri_of(term: NamedNode) -> str:
    return term[1:-1]


RDF_TYPE = _n(ns.RDF + "type")
XSD_STRING = _n(ns.XSD + "string")
XSD_DATE = _n(ns.XSD + "date")
XSD_DATETIME = _n(ns.XSD + "dateTime")
XSD_DECIMAL = _n(ns.XSD + "decimal")
XSD_INTEGER = _n(ns.XSD + "integer")
XSD_BOOLEAN = _n(ns.XSD + "boolean")
XSD_GYEAR = _n(ns.XSD + "gYear")
XSD_GYEARMONTH = _n(ns.XSD + "gYearMonth")
TRUE = Literal("true", datatype=XSD_BOOLEAN)


@cache
def mg(local: str) -> NamedNode:
    return _n(ns.MG + local)


@cache
def crm(local: str) -> NamedNode:
    return _n(ns.CRM + local)


Sink = Callable[[str], None]


@dataclass
class Compiled:
    """The collection written as N-Quads lines in one named graph, plus where each node was
    authored and (for HermiT) the N-Triples of a deterministic sample of its records."""

    graph: NamedNode
    count: int = 0
    locations: dict[str, Location] = field(default_factory=dict)
    retired: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    owl_sample: list[str] = field(default_factory=list)
    owl_scope: str = "the whole collection"
    claims: int = 0
    chunks: list[str] | None = None  # the lines, when compiled without a sink

    @property
    def quads(self) -> list[ox.Quad]:
        """The quads as pyoxigraph objects (only for a collection compiled in memory)."""
        if self.chunks is None:
            raise ValueError("this collection was compiled to a file; read it from there")
        return list(ox.parse("".join(self.chunks).encode("utf-8"), format=ox.RdfFormat.N_QUADS))


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
    """Writes lines to the sink in large chunks; copies a sampled record's triples aside."""

    CHUNK = 1 << 16

    def __init__(self, graph: NamedNode, sink: Sink):
        self.tail = f" {graph} .\n"
        self.sink = sink
        self.buf: list[str] = []
        self.count = 0
        self.sample: list[str] | None = None   # a list while a sampled record is compiled
        self.shortcuts: set[str] = set()       # shortcut triples of the current entity

    def add(self, s: NamedNode, p: NamedNode, o: str) -> None:
        triple = f"{s} {p} {o}"
        self.buf.append(triple + self.tail)
        if self.sample is not None:
            self.sample.append(triple + " .\n")

    def boundary(self) -> None:
        """The end of a record: chunks never split one (partitions are whole records)."""
        if len(self.buf) >= self.CHUNK:
            self.flush()

    def shortcut(self, s: NamedNode, p: NamedNode, o: str) -> None:
        """The plain triple a claim backs; two claims may back the same one (written once)."""
        key = f"{p} {o}"
        if key not in self.shortcuts:
            self.shortcuts.add(key)
            self.add(s, p, o)

    def flush(self) -> None:
        if self.buf:
            self.sink("".join(self.buf))
            self.count += len(self.buf)
            self.buf.clear()


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
                       seeds_dir: Path | None = None, sink: Sink | None = None,
                       owl_whole_up_to: int = 20_000, owl_sample_claims: int = 5_000,
                       on_sources: Sink | None = None) -> Compiled:
    """Compile the collection to N-Quads lines written to `sink` (kept in memory without one);
    raise DataError naming file:line for every broken reference.

    The sink receives whole records: the sources first (also given to `on_sources`), then
    runs of entities, each with all its claims.

    The OWL sample: the whole collection up to `owl_whole_up_to` claims; above, every k-th
    entity with all its claims and their value and evidence nodes (about `owl_sample_claims`
    claims), plus the type of every entity and source those claims mention.
    """
    problems: list[tuple[Location | None, str]] = []
    known_props = set(known_properties)
    graph = _n(uris.collection_graph)
    chunks: list[str] | None = None
    if sink is None:
        chunks = []
        sink = chunks.append
    out = _Emitter(graph, sink)
    compiled = Compiled(graph, chunks=chunks)
    total = sum(len(e.claims) for e in collection.entities)
    compiled.claims = total
    whole = total <= owl_whole_up_to
    step = 1 if whole else -(-total // owl_sample_claims)
    sample: list[str] = []
    out.sample = sample if whole else None

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
        compiled.locations[iri_of(s)] = src.loc
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
            try:
                out.add(s, _n(ns.SCHEMA + "url"), checked_iri(normalise_url(str(f["url"]))))
            except ValueError as exc:
                problems.append((src.loc, f"source {src.id}: 'url' is not a valid IRI ({exc})"))
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

    if on_sources is not None:
        on_sources("".join(out.buf))
    out.flush()
    mentioned: set[str] = set()
    sampled_claims = 0
    for number, ent in enumerate(collection.entities):
        s = _n(uris.entity(ent.id))
        compiled.locations[iri_of(s)] = ent.loc
        if ent.type not in ENTITY_TYPES:
            problems.append((ent.loc, f"entity {ent.id}: unknown type '{ent.type}'; use one of "
                                      f"{', '.join(sorted(ENTITY_TYPES))}"))
        out.sample = sample if number % step == 0 else None
        out.shortcuts = set()
        out.add(s, RDF_TYPE, mg(ent.type))
        for same in ent.same_as:
            try:
                out.add(s, _n(ns.OWL + "sameAs"), checked_iri(ns.expand(str(same))))
            except (KeyError, ValueError):
                problems.append((ent.loc, f"entity {ent.id}: same_as '{same}' needs a known "
                                          f"prefix such as wd:"))
        for claim in ent.claims:
            _compile_claim(out, compiled, claim, s, uris, entity_ids, source_ids, prop, problems)
            if out.sample is not None and not whole:
                sampled_claims += 1
                mentioned.update(claim.mentions())
        out.boundary()
    out.sample = sample if whole else None
    for rid, (successor, _reason) in sorted(compiled.retired.items()):
        node = _n(uris.entity(rid))
        out.add(node, _n(ns.OWL + "deprecated"), TRUE)
        if successor:
            out.add(node, _n(ns.DCTERMS + "isReplacedBy"), _n(uris.entity(successor)))
    out.flush()
    if problems:
        raise DataError(problems)
    if not whole:
        kinds = {e.id: e.type for e in collection.entities} | \
            {x.id: x.type for x in collection.sources}
        sample += [f"<{uris.entity(i)}> {RDF_TYPE} {mg(kinds[i])} .\n"
                   for i in sorted(mentioned) if i in kinds]
        compiled.owl_scope = (f"a sample: every {step}th entity with all its claims "
                              f"({sampled_claims:,} of {total:,} claims) and the types of the "
                              f"records they mention, {len(sample):,} triples")
    compiled.owl_sample = sample
    compiled.count = out.count
    return compiled


def _compile_claim(out: _Emitter, compiled: Compiled, claim: Claim, subject: NamedNode,
                   uris: Uris, entity_ids: set[str], source_ids: set[str], prop,
                   problems: list) -> None:
    c = _n(uris.entity(claim.id))
    loc = claim.loc
    compiled.locations[iri_of(c)] = loc
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
        if iri_of(p) not in NAME_PROPERTIES:
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
        out.add(c, mg("approximate"), TRUE)
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
        if ev.loc != loc:  # YAML: the citation's own line; JSON Lines: the claim's
            compiled.locations[iri_of(e)] = ev.loc
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
        out.shortcut(subject, p, shortcut)
