"""Turn authoring records into RDF (N-Quads text) following the claim model.

Every claim becomes a `mg:Claim` node (a `crm:E13_Attribute_Assignment`) with its subject,
property, value node, rank, qualifiers and one `mg:Evidence` node per cited source; a name the
editors give (`given_by: editors`) is an `mg:EditorsLabel` attributed to the collection's
editors instead, citing no source. For each
claim that is not qualified to a part of a population and not deprecated, the plain shortcut
triple (subject, property, value) is added too; SHACL checks that every shortcut is backed.
How each kind of value is written is in `value_kinds.py`; the record types come from the
ontology (`entity_classes.py`).

The lines go to a sink (the release's dataset.nq while building, a list for `validate`).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from .. import namespaces as ns
from ..content_hash import digest
from ..entity_classes import EntityClasses
from ..errors import DataError, Location
from ..terms import (
    RDF_TYPE,
    TRUE,
    Term,
    checked_iri,
    crm,
    date_literal,
    iri,
    iri_of,
    literal,
    mg,
    number,
)
from ..uris import Uris
from ..value_kinds import KINDS, Compiling, timespan
from .authoring import Claim, Collection, Index

RANKS = {"preferred": "PreferredRank", "normal": "NormalRank", "deprecated": "DeprecatedRank"}

Sink = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Record:
    """What the history of releases tracks of one record (`build/history.py`): its kind
    ("entity", "source" or "claim"), identifier, content hash, and the identifiers of the
    records its document shows (a claim's subject, values and sources; an entity's claims')."""

    kind: str
    id: str
    hash: str
    face: str = ""                  # the hash of what other documents show of it
    mentions: tuple[str, ...] = ()


# What other documents show of a record: an entity's preferred names; of a claim, its links
# (subject, property, value, rank, qualifier, cited sources), not its note or locators.
_ENTITY_FACE = frozenset((iri(ns.SKOS + "prefLabel"),))
_CLAIM_FACE = frozenset(iri(x) for x in (
    ns.CRM + "P140_assigned_attribute_to", ns.CRM + "P177_assigned_property_of_type",
    ns.CRM + "P141_assigned", ns.MG + "rank", ns.MG + "appliesTo",
    ns.CRM + "P16_used_specific_object", ns.OA + "hasSource"))


def _face(lines: list[str], predicates: frozenset[str]) -> str:
    return digest(line for line in lines if line.split(" ", 2)[1] in predicates)


@dataclass
class Compiled:
    """The collection written as N-Quads lines in one named graph, plus (for HermiT) the
    N-Triples of a deterministic sample of its records. `locations` (where each node was
    authored) is filled by `locate` when a violation must be reported."""

    graph: Term
    count: int = 0
    locations: dict[str, Location] = field(default_factory=dict)
    retired: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    owl_sample: list[str] = field(default_factory=list)
    owl_scope: str = "the whole collection"
    claims: int = 0
    chunks: list[str] | None = None  # the lines, when compiled without a sink
    records: list[Record] = field(default_factory=list)

    @property
    def quads(self) -> list[ox.Quad]:
        """The quads as pyoxigraph objects (only for a collection compiled in memory)."""
        if self.chunks is None:
            raise ValueError("this collection was compiled to a file; read it from there")
        return list(ox.parse("".join(self.chunks).encode("utf-8"), format=ox.RdfFormat.N_QUADS))


class _Emitter:
    """Writes lines to the sink in large chunks; copies a sampled record's triples aside."""

    CHUNK = 1 << 16

    def __init__(self, graph: Term, sink: Sink):
        self.tail = f" {graph} .\n"
        self.sink = sink
        self.buf: list[str] = []
        self.count = 0
        self.sample: list[str] | None = None   # a list while a sampled record is compiled
        self.shortcuts: set[str] = set()       # shortcut triples of the current entity
        self.record: list[str] | None = None   # the current record's triples, for its hash
        self.claim: list[str] | None = None    # the current claim's own triples, for its hash
        self.claim_prefix = ""                 # "<claim iri" (its own nodes are "<claim iri#")
        self.shortcut_pending: tuple | None = None   # the shortcut a claim backs, written after it

    def add(self, s: Term, p: Term, o: str) -> None:
        triple = f"{s} {p} {o}"
        self.buf.append(triple + self.tail)
        if self.sample is not None:
            self.sample.append(triple + " .\n")
        if self.record is not None:
            self.record.append(triple)
            if self.claim is not None and s.startswith(self.claim_prefix) \
                    and s[len(self.claim_prefix)] in ">#":
                self.claim.append(triple)

    def boundary(self) -> None:
        """The end of a record: chunks never split one (partitions are whole records)."""
        if len(self.buf) >= self.CHUNK:
            self.flush()

    def shortcut(self, s: Term, p: Term, o: str) -> None:
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


_UNRESERVED_ESCAPE = re.compile(r"%(2[Dd]|2[Ee]|5[Ff]|7[Ee]|[46][1-9A-Fa-f]|[57][0-9Aa]|3[0-9])")


def normalise_url(url: str) -> str:
    """Decode percent-encoded unreserved characters (RFC 3986 section 6.2.2.2)."""
    return _UNRESERVED_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), url)


def compile_collection(collection: Collection, uris: Uris, classes: EntityClasses,
                       known_properties: Iterable[str] = (), sink: Sink | None = None,
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
    entity_types, source_types = classes.entities, classes.sources
    graph = iri(uris.collection_graph)
    chunks: list[str] | None = None
    if sink is None:
        chunks = []
        sink = chunks.append
    out = _Emitter(graph, sink)
    compiled = Compiled(graph, chunks=chunks)
    # A streamed collection brings the index of its first pass; a list is indexed here.
    index = getattr(collection, "index", None) or Index.of(collection)
    total = index.claims
    compiled.claims = total
    whole = total <= owl_whole_up_to
    step = 1 if whole else -(-total // owl_sample_claims)
    sample: list[str] = []
    out.sample = sample if whole else None

    # Identifiers: unique across sources, entities and claims, and never a retired one.
    retired = {r.id: r for r in collection.retired}
    reused = [i for i in retired if i in index]
    if index.duplicates or reused:
        where = index.where(collection, {i for i, _loc in index.duplicates} | set(reused))
        for ident, loc in index.duplicates:
            problems.append((loc, f"identifier '{ident}' is already used at {where[ident]}; "
                                  f"identifiers are never shared or reused"))
        for ident in reused:
            problems.append((where[ident], f"identifier '{ident}' was retired at "
                                           f"{retired[ident].loc} and may never be reused; "
                                           f"run `memorial-graph new-id`"))
    entity_ids = index.entity_types.keys()
    source_ids = {s.id for s in collection.sources}
    for r in collection.retired:
        if r.successor and r.successor not in entity_ids and r.successor not in source_ids:
            problems.append((r.loc, f"retired identifier '{r.id}' names successor "
                                    f"'{r.successor}', which is not in the collection"))
        compiled.retired[r.id] = (r.successor, r.reason)

    def prop(curie: str, loc: Location, what: str) -> Term | None:
        try:
            expanded = ns.expand(curie)
        except KeyError:
            problems.append((loc, f"{what}: unknown prefix in '{curie}'; known prefixes: "
                                  f"{', '.join(sorted(ns.PREFIXES))}"))
            return None
        if known_props and expanded not in known_props:
            problems.append((loc, f"{what}: property '{curie}' is not defined in the ontology "
                                  f"(ontology/memorial.ttl)"))
            return None
        return iri(expanded)

    for src in collection.sources:
        s = iri(uris.entity(src.id))
        out.record = []
        if src.type not in source_types:
            problems.append((src.loc, f"source {src.id}: unknown type '{src.type}'; use one of "
                                      f"{', '.join(sorted(source_types))}"))
        out.add(s, RDF_TYPE, mg(src.type))
        f = src.fields
        lang = f.get("language")
        title = f.get("title")
        if title is not None:
            out.add(s, iri(ns.DCTERMS + "title"), literal(str(title), language=lang))
        if f.get("short_title") is not None:
            out.add(s, iri(ns.SCHEMA + "alternativeHeadline"), literal(str(f["short_title"]),
                                                                       language="en"))
        if f.get("url") is not None:
            try:
                out.add(s, iri(ns.SCHEMA + "url"), checked_iri(normalise_url(str(f["url"]))))
            except ValueError as exc:
                problems.append((src.loc, f"source {src.id}: 'url' is not a valid IRI ({exc})"))
        if f.get("identifier") is not None:
            out.add(s, iri(ns.DCTERMS + "identifier"), literal(str(f["identifier"])))
        if f.get("publisher") is not None:
            out.add(s, iri(ns.DCTERMS + "publisher"), literal(str(f["publisher"])))
        if lang is not None:
            out.add(s, iri(ns.DCTERMS + "language"), literal(str(lang)))
        if f.get("published") is not None:
            out.add(s, iri(ns.DCTERMS + "issued"), date_literal(str(f["published"])))
        if f.get("retrieved") is not None:
            out.add(s, mg("retrievedOn"), date_literal(str(f["retrieved"])))
        if f.get("paragraphs") is not None:
            out.add(s, mg("paragraphCount"), number(f["paragraphs"]))
        if f.get("description") is not None:
            out.add(s, iri(ns.DCTERMS + "description"), literal(str(f["description"]), language="en"))
        if f.get("author") is not None:
            if f["author"] not in entity_ids:
                problems.append((src.loc, f"source {src.id}: author '{f['author']}' is not an "
                                          f"entity of the collection"))
            out.add(s, iri(ns.SCHEMA + "author"), iri(uris.entity(str(f["author"]))))
        record_hash = digest(out.record)
        compiled.records.append(Record("source", src.id, record_hash, record_hash,
                                       (str(f["author"]),) if f.get("author") is not None else ()))
    out.record = None

    editors = iri(uris.editors)
    if index.editors_named:
        # With the sources: every partition the validator checks needs this node.
        out.add(editors, RDF_TYPE, mg("Editors"))
        title = str(collection.meta.get("title") or "").strip()
        out.add(editors, iri(ns.SKOS + "prefLabel"),
                literal(f"editors of {title}" if title else "editors of this collection",
                        language="en"))

    if on_sources is not None:
        on_sources("".join(out.buf))
    out.flush()
    mentioned: set[str] = set()
    sampled_claims = 0
    for position, ent in enumerate(collection.entities):
        s = iri(uris.entity(ent.id))
        if ent.type not in entity_types:
            problems.append((ent.loc, f"entity {ent.id}: unknown type '{ent.type}'; use one of "
                                      f"{', '.join(sorted(entity_types))}"))
        out.sample = sample if position % step == 0 else None
        out.shortcuts = set()
        out.record = []
        out.add(s, RDF_TYPE, mg(ent.type))
        for same in ent.same_as:
            try:
                out.add(s, iri(ns.OWL + "sameAs"), checked_iri(ns.expand(str(same))))
            except (KeyError, ValueError):
                problems.append((ent.loc, f"entity {ent.id}: same_as '{same}' needs a known "
                                          f"prefix such as wd:"))
        mentions: dict[str, None] = {}
        for claim in ent.claims:
            _compile_claim(out, compiled, claim, s, uris, entity_ids, source_ids, prop, problems,
                           editors)
            mentions.update(dict.fromkeys(claim.mentions()))
            if out.sample is not None and not whole:
                sampled_claims += 1
                mentioned.update(claim.mentions())
        own_prefix = s + " "
        own = [line for line in out.record if line.startswith(own_prefix)]
        compiled.records.append(Record("entity", ent.id, digest(out.record),
                                       _face(own, _ENTITY_FACE),
                                       tuple(sys.intern(m) for m in mentions if m != ent.id)))
        out.record = None
        out.boundary()
    out.sample = sample if whole else None
    for rid, (successor, _reason) in sorted(compiled.retired.items()):
        node = iri(uris.entity(rid))
        out.add(node, iri(ns.OWL + "deprecated"), TRUE)
        if successor:
            out.add(node, iri(ns.DCTERMS + "isReplacedBy"), iri(uris.entity(successor)))
    out.flush()
    if problems:
        raise DataError(problems)
    if not whole:
        kinds = dict(index.entity_types) | {x.id: x.type for x in collection.sources}
        sample += [f"<{uris.entity(i)}> {RDF_TYPE} {mg(kinds[i])} .\n"
                   for i in sorted(mentioned) if i in kinds]
        compiled.owl_scope = (f"a sample: every {step}th entity with all its claims "
                              f"({sampled_claims:,} of {total:,} claims) and the types of the "
                              f"records they mention, {len(sample):,} triples")
    compiled.owl_sample = sample
    compiled.count = out.count
    return compiled


def _compile_claim(out: _Emitter, compiled: Compiled, claim: Claim, subject: Term,
                   uris: Uris, entity_ids: set[str], source_ids: set[str], prop,
                   problems: list, editors: Term) -> None:
    c = iri(uris.entity(claim.id))
    loc = claim.loc
    what = f"claim {claim.id}"
    p = prop(claim.property, loc, what)
    if p is None:
        return
    out.claim, out.claim_prefix = [], c[:-1]
    try:
        _compile_claim_nodes(out, compiled, claim, c, p, subject, uris, entity_ids, source_ids,
                             problems, editors)
    finally:
        lines, out.claim = out.claim, None
    # The hash of what was just written (trusty-URI style; see content_hash.py), published
    # beside it. The shortcut triple follows: it belongs to the entity, not to the claim.
    claim_hash = digest(lines)
    out.add(c, mg("contentHash"), literal(claim_hash))
    face = lines if out.shortcut_pending is None else [*lines, " ".join(out.shortcut_pending)]
    compiled.records.append(Record("claim", claim.id, claim_hash, _face(face, _CLAIM_FACE | {
        out.shortcut_pending[1]} if out.shortcut_pending else _CLAIM_FACE),
        tuple(map(sys.intern, (iri_of(subject).rsplit("/", 1)[-1], *claim.mentions())))))
    if out.shortcut_pending is not None:
        out.shortcut(*out.shortcut_pending)
        out.shortcut_pending = None


def _compile_claim_nodes(out: _Emitter, compiled: Compiled, claim: Claim, c: Term, p: Term,
                         subject: Term, uris: Uris, entity_ids: set[str], source_ids: set[str],
                         problems: list, editors: Term) -> None:
    loc = claim.loc
    what = f"claim {claim.id}"
    out.add(c, RDF_TYPE, mg("Claim"))
    out.add(c, crm("P140_assigned_attribute_to"), subject)
    out.add(c, crm("P177_assigned_property_of_type"), p)

    def entity(ident: str) -> Term:
        if ident not in entity_ids:
            problems.append((loc, f"{what}: entity '{ident}' is not in the collection"))
        return iri(uris.entity(ident))

    compiled_value = KINDS[claim.kind].compile(Compiling(
        claim, iri_of(p), iri(uris.entity(claim.id) + "#value"), out.add,
        lambda message: problems.append((loc, f"{what}: {message}")), entity))
    if compiled_value is None:
        return
    value_node, shortcut = compiled_value
    out.add(c, crm("P141_assigned"), value_node)

    rank = RANKS.get(claim.rank)
    if rank is None:
        problems.append((loc, f"{what}: rank must be preferred, normal or deprecated "
                              f"(got {claim.rank!r})"))
    else:
        out.add(c, mg("rank"), mg(rank))
    if claim.rank_reason:
        out.add(c, mg("rankReason"), literal(str(claim.rank_reason)))
    if claim.approximate:
        out.add(c, mg("approximate"), TRUE)
    if claim.applies_to is not None:
        if claim.applies_to not in entity_ids:
            problems.append((loc, f"{what}: applies_to '{claim.applies_to}' is not an entity "
                                  f"of the collection"))
        out.add(c, mg("appliesTo"), iri(uris.entity(str(claim.applies_to))))
    if claim.valid_during is not None:
        valid = iri(uris.entity(claim.id) + "#valid")
        timespan(out.add, valid, claim.valid_during)
        out.add(c, mg("validDuring"), valid)
    if claim.role:
        out.add(c, mg("role"), literal(str(claim.role), language="en"))
    if claim.note:
        out.add(c, mg("note"), literal(str(claim.note), language="en"))
    if claim.given_by == "editors":
        out.add(c, RDF_TYPE, mg("EditorsLabel"))
        out.add(c, iri(ns.PROV + "wasAttributedTo"), editors)

    for n, ev in enumerate(claim.evidence, start=1):
        e = iri(f"{uris.entity(claim.id)}#ev{n}")
        out.add(c, crm("P16_used_specific_object"), e)
        out.add(e, RDF_TYPE, mg("Evidence"))
        if ev.source is not None:
            if ev.source not in source_ids:
                problems.append((ev.loc, f"{what}: cites source '{ev.source}', which is not "
                                         f"defined in a 'sources:' list"))
            out.add(e, iri(ns.OA + "hasSource"), iri(uris.entity(str(ev.source))))
        paragraphs = ev.paragraph if isinstance(ev.paragraph, list) else [ev.paragraph]
        for paragraph in paragraphs:
            if paragraph is not None:
                out.add(e, mg("paragraph"), number(paragraph))
        if ev.start is not None or ev.end is not None:
            sel = iri(f"{uris.entity(claim.id)}#ev{n}-selector")
            out.add(e, iri(ns.OA + "hasSelector"), sel)
            out.add(sel, RDF_TYPE, iri(ns.OA + "TextPositionSelector"))
            if ev.start is not None:
                out.add(sel, iri(ns.OA + "start"), number(ev.start))
            if ev.end is not None:
                out.add(sel, iri(ns.OA + "end"), number(ev.end))

    if claim.applies_to is None and claim.rank != "deprecated" and shortcut is not None:
        out.shortcut_pending = (subject, p, shortcut)


def locate(collection: Collection, uris: Uris) -> dict[str, Location]:
    """Where each compiled node was authored (IRI -> file:line), to report a violation: every
    source, entity and claim, and a citation given on a line of its own (YAML; in JSON Lines
    it is the claim's line)."""
    out: dict[str, Location] = {}
    for src in collection.sources:
        out[uris.entity(src.id)] = src.loc
    for ent in collection.entities:
        out[uris.entity(ent.id)] = ent.loc
        for claim in ent.claims:
            out[uris.entity(claim.id)] = claim.loc
            for n, ev in enumerate(claim.evidence, start=1):
                if ev.loc != claim.loc:
                    out[f"{uris.entity(claim.id)}#ev{n}"] = ev.loc
    return out
