"""The entity page's view model, read from the entity's document (see `documents.py`):
names, claims grouped by property with their evidence, what refers to the entity, and a
source's bibliographic metadata. How each value kind reads back is in `value_kinds.py`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from .. import namespaces as ns
from ..value_kinds import Reading, Value, edtf_text, kind_of_node
from .urls import Urls

CRM, MG, OA, SKOS = ns.CRM, ns.MG, ns.OA, ns.SKOS
P140 = CRM + "P140_assigned_attribute_to"
P177 = CRM + "P177_assigned_property_of_type"
P141 = CRM + "P141_assigned"
P16 = CRM + "P16_used_specific_object"
RDF_TYPE = ns.RDF + "type"
TITLE = ns.DCTERMS + "title"


# ---------------------------------------------------------------------------- view models
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


def _value(index: _Index, node, snap, urls: Urls, lang: str, claim: str) -> Value:
    if isinstance(node, ox.Literal):
        return Value(node.value, lang=node.language)
    iri = node.value

    def label(target: str) -> str:
        return snap.label(target, lang) or _lit(index.one(target, SKOS + "prefLabel")) \
            or ns.compact(target)

    types = [o.value for o in index.objects(iri, RDF_TYPE)] if iri.startswith(claim + "#") else []
    kind = kind_of_node(types)
    return kind.read(Reading(iri, claim, index.one, label, urls.href))


def entity_view(triples: list[ox.Triple], iri: str, snap, urls: Urls, lang: str,
                property_label) -> EntityView:
    index = _Index(triples)
    own = index.out.get(iri, [])
    kinds = sorted({snap.property_labels.get(o.value, ns.compact(o.value))
                    for p, o in own if p == RDF_TYPE})
    prefs = sorted((o.language or "", o.value) for p, o in own if p == SKOS + "prefLabel")
    alts = sorted((o.language or "", o.value) for p, o in own if p == SKOS + "altLabel")
    title_lit = index.one(iri, TITLE)
    title = snap.label(iri, lang) or (title_lit.value if title_lit is not None else None) \
        or urls.uris.local_id(iri) or iri
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
        value = _value(index, node, snap, urls, lang, claim)
        rank = index.one(claim, MG + "rank")
        quals = []
        applies = index.one(claim, MG + "appliesTo")
        if applies is not None:
            quals.append(("applies to", snap.label(applies.value, lang) or applies.value))
        valid = index.one(claim, MG + "validDuring")
        if valid is not None:
            edtf = index.one(valid.value, MG + "edtf")
            quals.append(("valid during", edtf_text(edtf.value) if edtf is not None else ""))
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
            evidence.append(Evidence(src.value, urls.href(src.value),
                                     src_title.value if src_title is not None
                                     else (snap.label(src.value) or src.value),
                                     paragraphs, selector))
        evidence.sort(key=lambda e: (e.title, e.paragraphs))
        rank_name = rank.value.rsplit("#", 1)[-1].replace("Rank", "").lower() if rank else "normal"
        view = ClaimView(claim, urls.href(claim), value, rank_name, quals, evidence)
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
                                       or ns.compact(s), href=urls.href(s), kind="entity"),
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
                                             href=urls.href(o.value), kind="entity")))
    return EntityView(iri, urls.uris.local_id(iri) or iri, title, kinds, prefs, alts, same_as, groups,
                      incoming, meta, is_claim)
