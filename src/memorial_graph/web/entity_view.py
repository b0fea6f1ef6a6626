"""The entity page's view model, read from the entity's document (see `documents.py`):
names, claims grouped by property with their evidence (or, for a label the editors give, that
they gave it), what refers to the entity, and a source's bibliographic metadata. How each
value kind reads back is in `value_kinds.py`.

Two things a page shows come from saved queries, so that a page and a query never say
different things: which claims disagree (`disagreements`, the one definition, also counted by
`memorial-graph stats`) and, on a source's page, every claim it supports (`source-claims`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox
from flask_babel import gettext, lazy_gettext

from .. import namespaces as ns
from ..entity_layout import OTHER, layout_class, layout_for, source_facts
from ..value_kinds import Reading, Value, edtf_text, kind_of_node, literal_text
from .urls import Urls

CRM, MG, OA, SKOS = ns.CRM, ns.MG, ns.OA, ns.SKOS
P140 = CRM + "P140_assigned_attribute_to"
P177 = CRM + "P177_assigned_property_of_type"
P141 = CRM + "P141_assigned"
P16 = CRM + "P16_used_specific_object"
RDF_TYPE = ns.RDF + "type"
TITLE = ns.DCTERMS + "title"
ATTRIBUTED_TO = ns.PROV + "wasAttributedTo"
SOURCE_DATES = (ns.DCTERMS + "issued", MG + "retrievedOn")    # EDTF dates of a source
# A claim's rank as the page names it (the claim keeps the rank's key: "preferred").
RANKS = {"preferred": lazy_gettext("preferred"), "normal": lazy_gettext("normal"),
         "deprecated": lazy_gettext("deprecated")}


# ---------------------------------------------------------------------------- view models
@dataclass
class Evidence:
    source: str
    href: str
    title: str
    paragraphs: list[int]
    selector: str | None = None
    url: str | None = None          # the source itself (schema:url), where a reader can check it

    def locators(self, urls: Urls) -> list[tuple[int, str]]:
        """Each paragraph with where its entry is on the source's page."""
        return [(n, urls.paragraph(self.href, n)) for n in self.paragraphs]


@dataclass
class Qualifier:
    label: str          # the qualifier property's label: "applies to part", "role"
    value: Value
    in_statement: bool = True   # part of what the claim states (and of its title)
    name: str = ""              # which qualifier: "appliesTo", "validDuring", "role", "approximate"
    label_lang: str | None = "en"   # a property's label is the ontology's (English); None: the
                                    # interface's own word


@dataclass
class Disagreement:
    """Another claim on the same subject, property and qualifiers, from other sources, that
    states something else (one row of the `disagreements` saved query, seen from one side)."""

    other: str          # the other claim's IRI
    href: str
    states: str         # what the other claim states, as the query words it
    sources: str        # the titles of the sources that state it
    differs_in: str = "value"   # what differs: "value", or "role" (the same value)


@dataclass
class ClaimView:
    iri: str
    href: str
    value: Value
    rank: str
    qualifiers: list[Qualifier]
    evidence: list[Evidence]
    given_by: str | None = None        # the editors, when the claim is a label they give
    note: str | None = None            # the editors' note on how the source states it
    rank_reason: str | None = None
    differs_from: list[Disagreement] = field(default_factory=list)

    @property
    def ident(self) -> str:
        return self.iri.rsplit("/", 1)[-1]

    @property
    def rank_label(self) -> str:
        """The rank in the interface's language."""
        return str(RANKS.get(self.rank, self.rank))

    @property
    def sources(self) -> list[str]:
        """The distinct sources the claim cites (IRIs)."""
        return sorted({e.source for e in self.evidence})

    @property
    def differs_in(self) -> set[str]:
        """What differs from the claims it disagrees with: "value", "role"."""
        return {d.differs_in for d in self.differs_from}

    @property
    def statement(self) -> str:
        """The value with its statement qualifiers: "106 (applies to part: women)"."""
        scope = "; ".join(f"{q.label}: {q.value.text}" for q in self.qualifiers
                          if q.in_statement)
        return f"{self.value.text} ({scope})" if scope else self.value.text


@dataclass
class Group:
    property: str
    label: str
    claims: list[ClaimView]
    disagree: bool

    @property
    def anchor(self) -> str:
        """The id of the property's part of the page: "p-crm-P53_has_former_or_current_location"."""
        return "p-" + "".join(ch if ch.isalnum() or ch in "_-" else "-" for ch in ns.compact(self.property))


@dataclass
class Section:
    """A section of an entity page: its kind's properties under one heading (`entity_layout`):
    `key` is the heading in English (its anchor, the same in every language), `title` as the
    reader reads it."""

    key: str
    groups: list[Group]
    title: str = ""

    def __post_init__(self):
        self.title = self.title or gettext(self.key)

    @property
    def anchor(self) -> str:
        return "s-" + "-".join(self.key.lower().split())


@dataclass
class FactValue:
    """One value of a key fact in the summary, with how many sources support it."""

    text: str
    href: str | None            # the value's own page, when it is an entity
    anchor: str                 # the claim on this page
    lang: str | None
    sources: int                # distinct sources among the claims that state it
    by_editors: bool = False
    edtf: str | None = None     # a date stated without qualifiers, as EDTF


@dataclass
class Fact:
    label: str
    anchor: str                 # the property's part of the page
    values: list[FactValue]
    more: int = 0               # further claims (about a part, a period) shown below
    disagree: bool = False


@dataclass
class SourceClaim:
    """One row of a source page's "Claims this source supports": one claim, every paragraph."""

    paragraphs: list[int]
    subject: Value
    property: str
    value: str
    href: str


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
    editors_labels: set[tuple[str, str]] = field(default_factory=set)   # (lang, name)
    sections: list[Section] = field(default_factory=list)
    summary: list[Fact] = field(default_factory=list)
    layout: str = "Entity"       # the class whose layout the page follows (`entity_layout`)
    lang: str = "en"
    source_url: str | None = None    # where a source itself can be read (its schema:url)

    @property
    def names_here(self) -> list[tuple[str, str]]:
        """The names in the reader's language first (preferred, then other), then the
        preferred names in other languages."""
        mine = [n for n in self.pref_labels + self.alt_labels if n[0] == self.lang]
        return mine + [n for n in self.pref_labels if n[0] != self.lang]


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


def _labeller(index: _Index, snap, lang: str):
    """A display label for any IRI: an entity's name, an ontology term's label (a unit, a
    class), and the compact IRI only when nothing names it."""

    def label(target: str) -> str:
        return snap.label(target, lang) or _lit(index.one(target, SKOS + "prefLabel")) \
            or snap.property_labels.get(target) or ns.compact(target)

    return label


def _name_language(snap, iri: str, lang: str) -> str | None:
    """The language of the name a page shows for `iri` (`Snapshot.label_in`: the reader's,
    else English), so that an English name in an Azerbaijani page says so."""
    found = snap.label_in(iri, lang)
    return found[1] if found else None


def _value(index: _Index, node, label, urls: Urls, claim: str) -> Value:
    if isinstance(node, ox.Literal):
        return Value(node.value, lang=node.language)
    iri = node.value
    types = [o.value for o in index.objects(iri, RDF_TYPE)] if iri.startswith(claim + "#") else []
    kind = kind_of_node(types)
    return kind.read(Reading(iri, claim, index.one, label, urls.href))


def _qualifiers(index: _Index, claim: str, value: Value, label, urls: Urls,
                property_label) -> list[Qualifier]:
    out = []
    applies = index.one(claim, MG + "appliesTo")
    if applies is not None:
        out.append(Qualifier(property_label(MG + "appliesTo"),
                             Value(label(applies.value), href=urls.href(applies.value),
                                   kind="entity"), name="appliesTo"))
    valid = index.one(claim, MG + "validDuring")
    if valid is not None:
        edtf = index.one(valid.value, MG + "edtf")
        out.append(Qualifier(property_label(MG + "validDuring"),
                             Value(edtf_text(edtf.value) if edtf is not None else "", kind="date",
                                   edtf=edtf.value if edtf is not None else None),
                             name="validDuring"))
    role = index.one(claim, MG + "role")
    if role is not None:
        out.append(Qualifier(property_label(MG + "role"), Value(role.value, lang=role.language),
                             name="role"))
    if index.one(claim, MG + "approximate") is not None and value.kind != "quantity":
        out.append(Qualifier(gettext("approximate"), Value(gettext("yes")), in_statement=False,
                             name="approximate", label_lang=None))
    return out


def _evidence(index: _Index, claim: str, snap, urls: Urls) -> list[Evidence]:
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
            selector = gettext("characters %(start)s–%(end)s", start=_lit(start), end=_lit(end))
        src_title = index.one(src.value, TITLE)
        url = index.one(src.value, ns.SCHEMA + "url")
        evidence.append(Evidence(src.value, urls.href(src.value),
                                 src_title.value if src_title is not None
                                 else (snap.label(src.value) or src.value),
                                 paragraphs, selector,
                                 urls.href(url.value) if url is not None else None))
    evidence.sort(key=lambda e: (e.title, e.paragraphs))
    return evidence


def disagreements_by_claim(rows: Iterable[dict], urls: Urls) -> dict[str, list[Disagreement]]:
    """The rows of the `disagreements` saved query, as each claim's list of the claims it
    disagrees with (a pair is seen from both sides)."""
    out: dict[str, list[Disagreement]] = defaultdict(list)

    def states(row: dict, side: str) -> str:
        value = _lit(row.get("value" + side))
        role = row.get("role" + side)
        return gettext("%(value)s (role: %(role)s)", value=value, role=role.value) \
            if row.get("differsIn") is not None and row["differsIn"].value == "role" \
            and role is not None else value

    for row in rows:
        a, b = row["claimA"].value, row["claimB"].value
        differs = _lit(row.get("differsIn")) or "value"
        out[a].append(Disagreement(b, urls.href(b), states(row, "B"), _lit(row.get("sourcesB")),
                                   differs))
        out[b].append(Disagreement(a, urls.href(a), states(row, "A"), _lit(row.get("sourcesA")),
                                   differs))
    return out


def entity_view(triples: list[ox.Triple], iri: str, snap, urls: Urls, lang: str,
                property_label, disagreements: dict[str, list[Disagreement]] | None = None,
                ) -> EntityView:
    """The page of `iri` from its document; `disagreements` (from `disagreements_by_claim`)
    says which of its claims disagree with which."""
    disagreements = disagreements or {}
    index = _Index(triples)
    label = _labeller(index, snap, lang)
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
    editors_labels: set[tuple[str, str]] = set()
    for claim in claims:
        prop = index.one(claim, P177)
        node = index.one(claim, P141)
        if prop is None or node is None:
            continue
        value = _value(index, node, label, urls, claim)
        if value.kind == "entity" and isinstance(node, ox.NamedNode):
            value.lang = _name_language(snap, node.value, lang)
        rank = index.one(claim, MG + "rank")
        rank_name = rank.value.rsplit("#", 1)[-1].replace("Rank", "").lower() if rank else "normal"
        editors = index.one(claim, ATTRIBUTED_TO)
        view = ClaimView(claim, urls.href(claim), value, rank_name,
                         _qualifiers(index, claim, value, label, urls, property_label),
                         _evidence(index, claim, snap, urls),
                         given_by=label(editors.value) if editors is not None else None,
                         note=_lit(index.one(claim, MG + "note")) or None,
                         rank_reason=_lit(index.one(claim, MG + "rankReason")) or None,
                         differs_from=sorted(disagreements.get(claim, []), key=lambda d: d.other))
        if view.given_by and value.kind == "name":
            editors_labels.add((value.lang or "", value.text))
        by_property[prop.value].append(view)
    by_group = {}
    for prop, views in by_property.items():
        # The unqualified claims first, then those about a part, a period or a role.
        views.sort(key=lambda v: (bool(v.qualifiers), [q.value.text for q in v.qualifiers],
                                  v.value.text, v.iri))
        by_group[prop] = Group(prop, property_label(prop), views,
                               any(v.differs_from for v in views))
    types = [o.value for p, o in own if p == RDF_TYPE]
    layout = layout_for(types, snap.classes)
    sections = []
    for section in layout.sections:
        placed = [by_group.pop(ns.expand(p)) for p in section.properties
                  if ns.expand(p) in by_group]
        if placed:
            sections.append(Section(section.title, placed))
    rest = sorted(by_group.values(), key=lambda g: g.label)   # what the layout does not place
    if rest:
        sections.append(Section(OTHER, rest))
    groups = [g for section in sections for g in section.groups]
    if is_claim and groups:
        # A claim is titled by what it states: "number killed: 613 — Khojaly massacre".
        subject = index.one(iri, P140)
        about = f" — {label(subject.value)}" if subject is not None else ""
        title = f"{groups[0].label}: {groups[0].claims[0].statement}{about}"
    incoming = []
    for s, pos in index.out.items():
        for p, o in pos:
            if o.value == iri and p not in (P140, P141, OA + "hasSource", P16, ATTRIBUTED_TO) \
                    and not s.startswith(iri + "#") and s != iri:
                incoming.append((Value(snap.label(s, lang) or _lit(index.one(s, SKOS + "prefLabel"))
                                       or ns.compact(s), href=urls.href(s), kind="entity",
                                       lang=_name_language(snap, s, lang)),
                                 property_label(p)))
    incoming.sort(key=lambda x: (x[1], x[0].text))
    meta, source_url = [], None
    if any(p == TITLE for p, _o in own):
        for pred, english in source_facts():
            name = gettext(english)
            for o in index.objects(iri, pred):
                if isinstance(o, ox.Literal):
                    meta.append((name, Value(o.value, lang=o.language,
                                             edtf=o.value if pred in SOURCE_DATES else None)))
                elif pred == ns.SCHEMA + "url":
                    meta.append((name, Value(o.value, href=o.value)))
                    source_url = source_url or o.value
                else:
                    meta.append((name, Value(snap.label(o.value, lang) or o.value,
                                             href=urls.href(o.value), kind="entity",
                                             lang=_name_language(snap, o.value, lang))))
    summary = [] if is_claim else summary_facts(layout.summary_iris(), groups)
    return EntityView(iri, urls.uris.local_id(iri) or iri, title, kinds, prefs, alts, same_as, groups,
                      incoming, meta, is_claim, editors_labels, sections, summary,
                      layout_class(types, snap.classes), lang, source_url)


SUMMARY_VALUES = 4      # values a key fact shows before "and N more"


def summary_facts(properties: Iterable[str], groups: list[Group]) -> list[Fact]:
    """The key facts of a page's kind, in the layout's order: each property's values (the
    unqualified claims, when there are any), one per distinct statement, with how many distinct
    sources support it."""
    by_property = {g.property: g for g in groups}
    facts = []
    for prop in properties:
        group = by_property.get(prop)
        if group is None:
            continue
        main = [c for c in group.claims if not c.qualifiers] or group.claims
        merged: dict[str, tuple[ClaimView, set[str], bool]] = {}
        for c in main:
            first, sources, editors = merged.get(c.statement, (c, set(), False))
            merged[c.statement] = (first, sources | set(c.sources), editors or bool(c.given_by))
        values = [FactValue(c.statement, c.value.href, c.ident, c.value.lang, len(sources), editors,
                            c.value.edtf if c.statement == c.value.text else None)
                  for c, sources, editors in merged.values()]
        shown = values[:SUMMARY_VALUES]
        facts.append(Fact(group.label, group.anchor, shown,
                          len(group.claims) - sum(1 for c in main if c.statement in
                                                  {v.text for v in shown}),
                          group.disagree))
    return facts


def source_claims(rows: Iterable[dict], urls: Urls, label) -> list[SourceClaim]:
    """The rows of the `source-claims` saved query (one per claim) as a source page's table;
    `label` names what the rows leave unnamed (a property, a unit)."""
    out = []
    for row in rows:
        value_class = row.get("valueClass")
        value = _lit(row.get("valueLabel")) or _lit(row.get("value"))
        unit = row.get("unit")
        text = literal_text(value_class.value if value_class is not None else None, value,
                            unit.value if unit is not None else None,
                            row.get("approximate") is not None, label)
        scope = []
        if row.get("appliesTo") is not None:
            scope.append(f"{label(MG + 'appliesTo')}: "
                         f"{_lit(row.get('appliesToLabel')) or label(row['appliesTo'].value)}")
        if row.get("role") is not None:
            scope.append(f"{label(MG + 'role')}: {row['role'].value}")
        subject = row["subject"].value
        paragraphs = sorted(int(p) for p in _lit(row.get("paragraphs")).split(", ") if p.isdigit())
        out.append(SourceClaim(
            paragraphs,
            Value(_lit(row.get("subjectLabel")) or label(subject), href=urls.href(subject),
                  kind="entity"),
            _lit(row.get("propertyLabel")) or label(row["property"].value),
            f"{text} ({'; '.join(scope)})" if scope else text,
            urls.href(row["claim"].value)))
    out.sort(key=lambda r: (r.paragraphs, r.subject.text, r.property, r.value))
    return out


def paragraph_entries(supported: list[SourceClaim]) -> list[tuple[int, list[SourceClaim]]]:
    """A source page's paragraphs, each with every claim it supports (a claim citing two
    paragraphs is under both): where an entity page's "¶ N" leads."""
    by_paragraph: dict[int, list[SourceClaim]] = defaultdict(list)
    for row in supported:
        for n in row.paragraphs:
            by_paragraph[n].append(row)
    return sorted(by_paragraph.items())


def entity_page(site, snap, iri: str, triples: list[ox.Triple], lang: str
                ) -> tuple[EntityView, list[SourceClaim]]:
    """The view of `iri`'s page and, for a source, the claims it supports. The disagreements
    come from the `disagreements` saved query, bound to the page's subject (a claim's page: the
    claim's subject), so the page marks exactly the pairs the query lists."""
    index = _Index(triples)
    label = _labeller(index, snap, lang)
    is_source = index.one(iri, TITLE) is not None
    subject = index.one(iri, P140) if index.one(iri, P177) is not None else None
    subject_iri = subject.value if subject is not None else iri
    disagreements: dict[str, list[Disagreement]] = {}
    query = site.saved.get("disagreements")
    if query is not None and not is_source:
        values = {"subject": subject_iri} if any(p.name == "subject" for p in query.params) else {}
        rows = [r for r in snap.store.select(query.text, query.bind(values, site.uris))
                if "subject" not in r or r["subject"].value == subject_iri]
        disagreements = disagreements_by_claim(rows, site.urls)
    view = entity_view(triples, iri, snap, site.urls, lang,
                       lambda p: site.property_label(snap, p), disagreements)
    supported: list[SourceClaim] = []
    query = site.saved.get("source-claims")
    if is_source and query is not None:
        rows = snap.store.select(query.text, query.bind({"source": iri}, site.uris))
        supported = source_claims(rows, site.urls, label)
    return view, supported
