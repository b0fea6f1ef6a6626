"""**How an entity page is laid out, per kind of record, in one place**: which facts its
summary shows first and in which sections, in which order, its claims follow.

A layout belongs to an mg: class (`Monument`, `Event`, …); a record takes the layout of its
most specific class that has one (a `Settlement` that of `Place`, a `Material` that of
`Entity`), so every class the ontology holds has a layout, and a new class takes its
superclass's. Properties are compact IRIs (`crm:P53_has_former_or_current_location`); a
property a layout does not place is still shown, in "Other statements", so nothing is lost.
Templates only draw what `web/entity_view.py` arranges from this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import namespaces as ns
from .entity_classes import ENTITY_ROOT, EntityClasses

NAMES = ("skos:prefLabel", "skos:altLabel")
OTHER = "Other statements"          # the section of properties a layout does not place


@dataclass(frozen=True)
class Section:
    title: str
    properties: tuple[str, ...]     # compact IRIs, in the order the page shows them


@dataclass(frozen=True)
class Layout:
    summary: tuple[str, ...]        # the key facts of the kind, in order (compact IRIs)
    sections: tuple[Section, ...]

    def summary_iris(self) -> tuple[str, ...]:
        return tuple(ns.expand(p) for p in self.summary)

    def placed(self) -> list[str]:
        """Every property the sections place, as full IRIs, in page order."""
        return [ns.expand(p) for s in self.sections for p in s.properties]


def _layout(summary: tuple[str, ...], *sections: tuple[str, tuple[str, ...]]) -> Layout:
    return Layout(summary, (Section("Names", NAMES),)
                  + tuple(Section(title, props) for title, props in sections))


TIME, PLACE = "crm:P4_has_time-span", "crm:P7_took_place_at"
COUNTS = ("mg:numberKilled", "mg:numberWounded", "mg:numberCaptured", "mg:numberMissing",
          "mg:numberFamiliesDestroyed", "mg:numberChildrenLostBothParents",
          "mg:numberChildrenLostOneParent")

# mg: class (local name) -> its layout. Sources keep their bibliographic summary (`SOURCE_FACTS`).
LAYOUTS: dict[str, Layout] = {
    ENTITY_ROOT: _layout(
        ("mg:characterisedAs",),
        ("Description", ("mg:characterisedAs",))),
    "Person": _layout(
        ("mg:birth", "mg:birthPlace", "mg:death", "mg:victimOf", "mg:occupation",
         "schema:nationality"),
        ("Life", ("mg:birth", "mg:birthPlace", "mg:death", "mg:victimOf")),
        ("Family", ("schema:parent", "schema:children", "schema:sibling")),
        ("Description", ("mg:occupation", "schema:nationality", "mg:characterisedAs"))),
    "Group": _layout(
        ("crm:P107i_is_current_or_former_member_of", "mg:stationedIn"),
        ("Affiliation and place", ("crm:P107i_is_current_or_former_member_of",
                                   "mg:stationedIn")),
        ("Description", ("mg:characterisedAs",))),
    "Place": _layout(
        ("mg:settlementKind", "crm:P89_falls_within", "mg:capitalOf"),
        ("Where it is", ("mg:settlementKind", "crm:P89_falls_within", "mg:capitalOf")),
        ("Description", ("mg:characterisedAs",))),
    "Event": _layout(
        (TIME, PLACE, "mg:perpetrator", "mg:numberKilled", "mg:numberWounded"),
        ("When and where", (TIME, PLACE)),
        ("Who took part", ("mg:perpetrator", "crm:P11_had_participant")),
        ("Counts", COUNTS),
        ("Accounts", ("mg:characterisedAs", "mg:account"))),
    "Commemoration": _layout(
        (TIME, PLACE, "mg:commemorates", "mg:anniversaryNumber", "mg:recurrence"),
        ("When and where", (TIME, PLACE, "mg:recurrence", "mg:anniversaryNumber")),
        ("What it remembers", ("mg:commemorates",)),
        ("Accounts", ("mg:participantsDescription", "mg:characterisedAs", "mg:account"))),
    "Production": _layout(
        (TIME, "crm:P14_carried_out_by", "crm:P16_used_specific_object"),
        ("When and by whom", (TIME, "crm:P14_carried_out_by", "crm:P16_used_specific_object")),
        ("Description", ("mg:characterisedAs",))),
    "HumanMadeObject": _layout(
        ("crm:P53_has_former_or_current_location", "schema:creator",
         "crm:P108i_was_produced_by", "crm:P45_consists_of", "mg:height", "mg:commemorates"),
        ("Where it is", ("crm:P53_has_former_or_current_location", "mg:near")),
        ("Making", ("crm:P108i_was_produced_by", "schema:creator", "crm:P45_consists_of",
                    "mg:height", "mg:shape")),
        ("What it shows and remembers", ("mg:commemorates", "mg:depictionDescription",
                                         "crm:P62_depicts", "mg:distinction",
                                         "mg:characterisedAs")),
        ("Parts", ("crm:P46_is_composed_of", "crm:P128_carries")),
        ("History", ("mg:replacedBy", "mg:reasonForReplacement"))),
    "Inscription": _layout(
        ("mg:inscriptionText", "mg:inLanguage"),
        ("Text", ("mg:inscriptionText", "mg:inLanguage")),
        ("Description", ("mg:characterisedAs",))),
}

# A source's summary: its bibliographic facts, in this order, with the labels a reader sees.
SOURCE_FACTS: tuple[tuple[str, str], ...] = (
    ("dcterms:title", "title"), ("schema:author", "author"), ("dcterms:publisher", "publisher"),
    ("dcterms:issued", "published"), ("schema:url", "URL"), ("dcterms:language", "language"),
    ("dcterms:identifier", "identifier"), ("mg:retrievedOn", "retrieved"),
    ("dcterms:description", "about"), ("mg:paragraphCount", "paragraphs"))


def source_facts() -> tuple[tuple[str, str], ...]:
    return tuple((ns.expand(p), name) for p, name in SOURCE_FACTS)


def layout_class(types: list[str], classes: EntityClasses) -> str:
    """The class whose layout a record of these types (full IRIs) takes: the nearest class,
    going up from its own, that `LAYOUTS` names; `Entity`'s when none does."""
    best: tuple[int, str] | None = None
    for iri in types:
        if not iri.startswith(ns.MG):
            continue
        distance, frontier, seen = 0, [iri.removeprefix(ns.MG)], set()
        while frontier:
            found = sorted(c for c in frontier if c in LAYOUTS)
            if found:
                if best is None or distance < best[0]:
                    best = (distance, found[0])
                break
            seen.update(frontier)
            frontier = sorted({p for c in frontier for p in classes.parents.get(c, ())} - seen)
            distance += 1
    return best[1] if best is not None else ENTITY_ROOT


def layout_for(types: list[str], classes: EntityClasses) -> Layout:
    return LAYOUTS[layout_class(types, classes)]

