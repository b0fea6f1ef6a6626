"""**How an entity page is laid out, per kind of record, in one place**: which facts its
summary shows first and in which sections, in which order, its claims follow.

A layout belongs to an mg: class (`Monument`, `Event`, …); a record takes the layout of its
most specific class that has one (a `Settlement` that of `Place`, a `Material` that of
`Entity`), so every class the ontology holds has a layout, and a new class takes its
superclass's. Properties are compact IRIs (`crm:P53_has_former_or_current_location`); a
property a layout does not place is still shown, in "Other statements", so nothing is lost.
Templates only draw what `web/entity_view.py` arranges from this table.

Section headings and a source's fact names are interface text: written here in English and
marked with `_l` (extracted by `make messages`), they are translated when a page is drawn
(`entity_view`), while the sections' anchors (`#s-names`) stay the same in every language.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import namespaces as ns
from .entity_classes import ENTITY_ROOT, EntityClasses


def _l(english: str) -> str:
    """Marks interface text for translation (`make messages` extracts `_l("…")`); the page
    translates it when it is drawn (`gettext`), so the table itself stays English."""
    return english


NAMES = ("skos:prefLabel", "skos:altLabel")
OTHER = _l("Other statements")      # the section of properties a layout does not place


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
    return Layout(summary, (Section(_l("Names"), NAMES),)
                  + tuple(Section(title, props) for title, props in sections))


TIME, PLACE = "crm:P4_has_time-span", "crm:P7_took_place_at"
COUNTS = ("mg:numberKilled", "mg:numberWounded", "mg:numberCaptured", "mg:numberMissing",
          "mg:numberFamiliesDestroyed", "mg:numberChildrenLostBothParents",
          "mg:numberChildrenLostOneParent")

# mg: class (local name) -> its layout. Sources keep their bibliographic summary (`SOURCE_FACTS`).
LAYOUTS: dict[str, Layout] = {
    ENTITY_ROOT: _layout(
        ("mg:characterisedAs",),
        (_l("Description"), ("mg:characterisedAs",))),
    "Person": _layout(
        ("mg:birth", "mg:birthPlace", "mg:death", "mg:victimOf", "mg:occupation",
         "schema:nationality"),
        (_l("Life"), ("mg:birth", "mg:birthPlace", "mg:death", "mg:victimOf")),
        (_l("Family"), ("schema:parent", "schema:children", "schema:sibling")),
        (_l("Description"), ("mg:occupation", "schema:nationality", "mg:characterisedAs"))),
    "Group": _layout(
        ("crm:P107i_is_current_or_former_member_of", "mg:stationedIn"),
        (_l("Affiliation and place"), ("crm:P107i_is_current_or_former_member_of",
                                       "mg:stationedIn")),
        (_l("Description"), ("mg:characterisedAs",))),
    "Place": _layout(
        ("mg:settlementKind", "crm:P89_falls_within", "mg:capitalOf"),
        (_l("Where it is"), ("mg:settlementKind", "crm:P89_falls_within", "mg:capitalOf")),
        (_l("Description"), ("mg:characterisedAs",))),
    "Event": _layout(
        (TIME, PLACE, "mg:perpetrator", "mg:numberKilled", "mg:numberWounded"),
        (_l("When and where"), (TIME, PLACE)),
        (_l("Who took part"), ("mg:perpetrator", "crm:P11_had_participant")),
        (_l("Counts"), COUNTS),
        (_l("Accounts"), ("mg:characterisedAs", "mg:account"))),
    "Commemoration": _layout(
        (TIME, PLACE, "mg:commemorates", "mg:anniversaryNumber", "mg:recurrence"),
        (_l("When and where"), (TIME, PLACE, "mg:recurrence", "mg:anniversaryNumber")),
        (_l("What it remembers"), ("mg:commemorates",)),
        (_l("Accounts"), ("mg:participantsDescription", "mg:characterisedAs", "mg:account"))),
    "Production": _layout(
        (TIME, "crm:P14_carried_out_by", "crm:P16_used_specific_object"),
        (_l("When and by whom"), (TIME, "crm:P14_carried_out_by", "crm:P16_used_specific_object")),
        (_l("Description"), ("mg:characterisedAs",))),
    "HumanMadeObject": _layout(
        ("crm:P53_has_former_or_current_location", "schema:creator",
         "crm:P108i_was_produced_by", "crm:P45_consists_of", "mg:height", "mg:commemorates"),
        (_l("Where it is"), ("crm:P53_has_former_or_current_location", "mg:near")),
        (_l("Making"), ("crm:P108i_was_produced_by", "schema:creator", "crm:P45_consists_of",
                        "mg:height", "mg:shape")),
        (_l("What it shows and remembers"), ("mg:commemorates", "mg:depictionDescription",
                                             "crm:P62_depicts", "mg:distinction",
                                             "mg:characterisedAs")),
        (_l("Parts"), ("crm:P46_is_composed_of", "crm:P128_carries")),
        (_l("History"), ("mg:replacedBy", "mg:reasonForReplacement"))),
    "Inscription": _layout(
        ("mg:inscriptionText", "mg:inLanguage"),
        (_l("Text"), ("mg:inscriptionText", "mg:inLanguage")),
        (_l("Description"), ("mg:characterisedAs",))),
}

# A source's summary: its bibliographic facts, in this order, with the labels a reader sees.
SOURCE_FACTS: tuple[tuple[str, str], ...] = (
    ("dcterms:title", _l("title")), ("schema:author", _l("author")),
    ("dcterms:publisher", _l("publisher")), ("dcterms:issued", _l("published")),
    ("schema:url", _l("URL")), ("dcterms:language", _l("language")),
    ("dcterms:identifier", _l("identifier")), ("mg:retrievedOn", _l("retrieved")),
    ("dcterms:description", _l("about")), ("mg:paragraphCount", _l("paragraphs")))


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

