"""Representations: entity documents as RDF in every format, and view models for HTML pages."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from . import namespaces as ns
from .conneg import FORMATS
from .queries import load
from .uris import Uris

RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}
CRM, MG, OA, SKOS = ns.CRM, ns.MG, ns.OA, ns.SKOS
P140 = CRM + "P140_assigned_attribute_to"
P177 = CRM + "P177_assigned_property_of_type"
P141 = CRM + "P141_assigned"
P16 = CRM + "P16_used_specific_object"
RDF_TYPE = ns.RDF + "type"
TITLE = ns.DCTERMS + "title"


def document_parts() -> list[str]:
    """The CONSTRUCT queries whose merged results make an entity's document."""
    prologue, *parts = re.split(r"(?m)^#%%.*\n", load("entity-document"))
    prefixes = "".join(line + "\n" for line in prologue.splitlines() if line.startswith("PREFIX"))
    return [prefixes + part for part in parts]


def document_triples(store, iri: str) -> list[ox.Triple]:
    """The entity's document: shortcut triples, every claim with evidence and sources."""
    binding = {ox.Variable("entity"): ox.NamedNode(iri)}
    triples: set[ox.Triple] = set()
    for part in document_parts():
        triples.update(store.construct(part, binding))
    return sorted(triples, key=str)


def serialize(triples: list[ox.Triple], fmt: str, uris: Uris) -> bytes:
    prefixes = dict(ns.PREFIXES, id=uris.entity(""))
    rdf_format = RDF_FORMATS[fmt]
    if rdf_format in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        return ox.serialize(triples, format=rdf_format)
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes)


def media_type(fmt: str) -> str:
    return FORMATS[fmt].media_type


# ---------------------------------------------------------------------------- view models
@dataclass
class Value:
    text: str
    href: str | None = None
    lang: str | None = None
    kind: str = "literal"


@dataclass
class Evidence:
    source: str
    href: str
    title: str
    paragraphs: list[int]
    selector: str | None = None


@dataclass
class ClaimView:
    iri: str
    href: str
    value: Value
    rank: str
    qualifiers: list[tuple[str, str]]
    evidence: list[Evidence]


@dataclass
class Group:
    property: str
    label: str
    claims: list[ClaimView]
    disagree: bool


@dataclass
class EntityView:
    iri: str
    ident: str
    title: str
    kinds: list[str]
    pref_labels: list[tuple[str, str]]
    alt_labels: list[tuple[str, str]]
    same_as: list[str]
    groups: list[Group]
    incoming: list[tuple[Value, str]]
    source_meta: list[tuple[str, Value]] = field(default_factory=list)
    is_claim: bool = False


class _Index:
    def __init__(self, triples: list[ox.Triple]):
        self.out: dict[str, list[tuple[str, object]]] = defaultdict(list)
        for t in triples:
            self.out[t.subject.value].append((t.predicate.value, t.object))

    def objects(self, s: str, p: str) -> list:
        return [o for pp, o in self.out.get(s, ()) if pp == p]

    def one(self, s: str, p: str):
        found = self.objects(s, p)
        return found[0] if found else None


def _lit(term) -> str:
    return term.value if term is not None else ""


def _value(index: _Index, node, snap, uris: Uris, lang: str, claim: str) -> Value:
    iri = node.value
    if isinstance(node, ox.Literal):
        return Value(node.value, lang=node.language)
    if iri.startswith(claim + "#"):
        for p, kind in ((CRM + "P190_has_symbolic_content", "name"), (MG + "text", "text")):
            lit = index.one(iri, p)
            if lit is not None:
                return Value(lit.value, lang=lit.language, kind=kind)
        number = index.one(iri, CRM + "P90_has_value")
        if number is not None:
            unit = index.one(iri, CRM + "P91_has_unit")
            approx = index.one(claim, MG + "approximate") is not None
            unit_text = ""
            if unit is not None and unit.value != MG + "person":
                unit_text = " " + (snap.label(unit.value) or ns.compact(unit.value))
                if unit.value == MG + "metre":
                    unit_text = " m"
            return Value(("about " if approx else "") + f"{number.value}{unit_text}",
                         kind="quantity")
        edtf = index.one(iri, MG + "edtf")
        if edtf is not None:
            return Value(_edtf_text(edtf.value), kind="date")
    label = snap.label(iri, lang) or _lit(index.one(iri, SKOS + "prefLabel")) or ns.compact(iri)
    return Value(label, href=uris.href(iri), kind="entity")


def _edtf_text(edtf: str) -> str:
    return edtf.replace("/", " to ")


def entity_view(triples: list[ox.Triple], iri: str, snap, uris: Uris, lang: str,
                property_label) -> EntityView:
    index = _Index(triples)
    own = index.out.get(iri, [])
    kinds = sorted({snap.property_labels.get(o.value, ns.compact(o.value))
                    for p, o in own if p == RDF_TYPE})
    prefs = sorted((o.language or "", o.value) for p, o in own if p == SKOS + "prefLabel")
    alts = sorted((o.language or "", o.value) for p, o in own if p == SKOS + "altLabel")
    title_lit = index.one(iri, TITLE)
    title = snap.label(iri, lang) or (title_lit.value if title_lit is not None else None) \
        or uris.local_id(iri) or iri
    same_as = sorted(o.value for p, o in own if p == ns.OWL + "sameAs")
    is_claim = any(p == RDF_TYPE and o.value == MG + "Claim" for p, o in own)
    claims = [s for s, pos in index.out.items()
              if any(p == P140 and o.value == iri for p, o in pos)]
    if is_claim:
        claims = [iri]
    by_property: dict[str, list[ClaimView]] = defaultdict(list)
    roles: dict[str, set] = defaultdict(set)
    values: dict[str, set] = defaultdict(set)
    for claim in sorted(claims):
        prop = index.one(claim, P177)
        node = index.one(claim, P141)
        if prop is None or node is None:
            continue
        value = _value(index, node, snap, uris, lang, claim)
        rank = index.one(claim, MG + "rank")
        quals = []
        applies = index.one(claim, MG + "appliesTo")
        if applies is not None:
            quals.append(("applies to", snap.label(applies.value, lang) or applies.value))
        valid = index.one(claim, MG + "validDuring")
        if valid is not None:
            edtf = index.one(valid.value, MG + "edtf")
            quals.append(("valid during", _edtf_text(edtf.value) if edtf is not None else ""))
        for pred, name in ((MG + "role", "role"), (MG + "note", "note"),
                           (MG + "rankReason", "rank reason")):
            lit = index.one(claim, pred)
            if lit is not None:
                quals.append((name, lit.value))
        if index.one(claim, MG + "approximate") is not None and value.kind != "quantity":
            quals.append(("approximate", "yes"))
        evidence = []
        for ev in index.objects(claim, P16):
            src = index.one(ev.value, OA + "hasSource")
            if src is None:
                continue
            paragraphs = sorted(int(p.value) for p in index.objects(ev.value, MG + "paragraph")
                                if p.value.isdigit())
            selector = None
            sel = index.one(ev.value, OA + "hasSelector")
            if sel is not None:
                start, end = index.one(sel.value, OA + "start"), index.one(sel.value, OA + "end")
                selector = f"characters {_lit(start)}–{_lit(end)}"
            src_title = index.one(src.value, TITLE)
            evidence.append(Evidence(src.value, uris.href(src.value),
                                     src_title.value if src_title is not None
                                     else (snap.label(src.value) or src.value),
                                     paragraphs, selector))
        evidence.sort(key=lambda e: (e.title, e.paragraphs))
        rank_name = rank.value.rsplit("#", 1)[-1].replace("Rank", "").lower() if rank else "normal"
        view = ClaimView(claim, uris.href(claim), value, rank_name, quals, evidence)
        by_property[prop.value].append(view)
        values[prop.value].add((value.text, value.href))
        role = index.one(claim, MG + "role")
        roles[(prop.value, value.text)].add(role.value if role is not None else "")
    groups = []
    for prop, views in by_property.items():
        disagree = (len(values[prop]) > 1 and prop not in snap.many_valued) or any(
            len(r) > 1 for (p, _v), r in roles.items() if p == prop)
        groups.append(Group(prop, property_label(prop), views, disagree))
    order = {SKOS + "prefLabel": 0, SKOS + "altLabel": 1}
    groups.sort(key=lambda g: (order.get(g.property, 2), g.label))
    incoming = []
    for s, pos in index.out.items():
        for p, o in pos:
            if o.value == iri and p not in (P140, P141, OA + "hasSource", P16) \
                    and not s.startswith(iri + "#") and s != iri:
                incoming.append((Value(snap.label(s, lang) or _lit(index.one(s, SKOS + "prefLabel"))
                                       or ns.compact(s), href=uris.href(s), kind="entity"),
                                 property_label(p)))
    incoming.sort(key=lambda x: (x[1], x[0].text))
    meta = []
    if any(p == TITLE for p, _o in own):
        for pred, name in ((TITLE, "title"), (ns.SCHEMA + "author", "author"),
                           (ns.DCTERMS + "publisher", "publisher"), (ns.SCHEMA + "url", "URL"),
                           (ns.DCTERMS + "identifier", "identifier"),
                           (ns.DCTERMS + "language", "language"), (ns.DCTERMS + "issued", "published"),
                           (MG + "retrievedOn", "retrieved"), (ns.DCTERMS + "description", "about"),
                           (MG + "paragraphCount", "paragraphs")):
            for o in index.objects(iri, pred):
                if isinstance(o, ox.Literal):
                    meta.append((name, Value(o.value, lang=o.language)))
                elif pred == ns.SCHEMA + "url":
                    meta.append((name, Value(o.value, href=o.value)))
                else:
                    meta.append((name, Value(snap.label(o.value, lang) or o.value,
                                             href=uris.href(o.value), kind="entity")))
    return EntityView(iri, uris.local_id(iri) or iri, title, kinds, prefs, alts, same_as, groups,
                      incoming, meta, is_claim)


# ---------------------------------------------------------------------------- cite this
def citations(view: EntityView, uri: str, collection: str, release: str, date: str) -> dict:
    year, month, day = (date[:10].split("-") + ["", "", ""])[:3]
    title = view.title
    plain = f"“{title}”. In {collection}. memorial-graph, release {release}, {date[:10]}. {uri}"
    key = f"mg-{view.ident}"
    bibtex = (f"@misc{{{key},\n  title = {{{title}}},\n  howpublished = {{\\url{{{uri}}}}},\n"
              f"  year = {{{year}}},\n  note = {{{collection}, release {release}}},\n"
              f"  url = {{{uri}}}\n}}")
    csl = json.dumps({"id": key, "type": "dataset", "title": title, "URL": uri,
                      "container-title": collection, "version": release,
                      "issued": {"date-parts": [[int(year), int(month), int(day)]]}},
                     ensure_ascii=False, indent=2)
    ris = "\n".join([
        "TY  - DATA", f"TI  - {title}", f"T2  - {collection}", f"UR  - {uri}",
        f"PY  - {year}", f"DA  - {year}/{month}/{day}", f"ET  - {release}", "ER  - ",
    ])
    return {"plain": plain, "bibtex": bibtex, "csl": csl, "ris": ris}
