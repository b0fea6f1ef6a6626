"""The entity page's view model, read from the entity's document."""

from __future__ import annotations

import pytest

from memorial_graph.web.documents import document_triples
from memorial_graph.web.entity_view import entity_view
from memorial_graph.web.snapshot import Site
from tests.conftest import MASSACRE, MONUMENT, SOURCE_NEWS, iri


@pytest.fixture(scope="module")
def site(config):
    return Site(config)


def view_of(site, ident: str, lang: str = "en"):
    snap = site.snapshot()
    return entity_view(document_triples(snap.store, iri(ident)), iri(ident), snap, site.urls, lang,
                       lambda p: site.property_label(snap, p))


def test_names_and_title_follow_the_reader_s_language(site):
    en, az = view_of(site, MONUMENT, "en"), view_of(site, MONUMENT, "az")
    assert en.title == "Mother's Cry" and az.title == "Ana harayı"
    assert ("az", "Ana harayı") in en.pref_labels


def test_every_claim_carries_its_sources_with_paragraphs(site):
    view = view_of(site, MASSACRE)
    claims = [c for group in view.groups for c in group.claims]
    assert claims and all(c.evidence for c in claims)
    assert all(e.paragraphs and e.href.startswith("/doc/") for c in claims for e in c.evidence)


def test_values_read_back_by_kind(site):
    view = view_of(site, MASSACRE)
    kinds = {c.value.kind for group in view.groups for c in group.claims}
    assert {"quantity", "name", "date"} <= kinds
    counts = [c.value.text for g in view.groups for c in g.claims if c.value.kind == "quantity"]
    assert "613" in counts


def test_a_source_page_has_its_bibliographic_metadata(site):
    view = view_of(site, SOURCE_NEWS)
    meta = dict((name, value.text) for name, value in view.source_meta)
    assert meta["title"] == "Flowers and prayers in Baku as nation remembers Khojaly victims"
    assert meta["publisher"] == "Caliber.Az"


def test_the_sections_follow_the_kind_s_layout(site):
    view = view_of(site, MONUMENT)
    assert view.layout == "HumanMadeObject"
    assert [s.title for s in view.sections] == [
        "Names", "Where it is", "Making", "What it shows and remembers", "Parts"]
    making = next(s for s in view.sections if s.title == "Making")
    assert [g.label for g in making.groups] == ["made in", "made by", "material", "height"]


def test_the_summary_counts_distinct_sources_and_leaves_sub_counts_below(site):
    facts = {f.label: f for f in view_of(site, MASSACRE).summary}
    assert list(facts) == ["date", "place", "perpetrator", "number killed", "number wounded"]
    killed = facts["number killed"]
    # the total both sources give, once; the figures for women, children, the elderly below
    assert [(v.text, v.sources) for v in killed.values] == [("613", 2)]
    assert killed.more == 3 and not killed.disagree
    place = facts["place"].values[0]
    assert (place.text, place.sources) == ("Khojaly", 2) and place.href.startswith("/doc/")


def test_names_in_the_reader_s_language_come_first(site):
    assert view_of(site, MONUMENT, "az").names_here[0] == ("az", "Ana harayı")
    assert view_of(site, MONUMENT, "en").names_here[0] == ("en", "Mother's Cry")


def test_a_source_s_paragraphs_list_every_claim_they_support(site):
    from memorial_graph.web.entity_view import entity_page, paragraph_entries

    snap = site.snapshot()
    view, supported = entity_page(site, snap, iri(SOURCE_NEWS),
                                  document_triples(snap.store, iri(SOURCE_NEWS)), "en")
    entries = dict(paragraph_entries(supported))
    assert sorted(entries) == sorted({n for row in supported for n in row.paragraphs})
    two = [row for row in supported if len(row.paragraphs) > 1]
    assert two and all(row in entries[n] for row in two for n in row.paragraphs)
    assert view.source_url.startswith("https://caliber.az/")


def test_a_property_the_layout_does_not_place_is_still_shown(site):
    """Nothing is lost: a claim whose property the kind's layout does not name (here the
    memorial's height, read as if it were a recurrence) goes under "Other statements"."""
    import pyoxigraph as ox

    from memorial_graph import namespaces as ns

    snap = site.snapshot()
    p177 = ox.NamedNode(ns.CRM + "P177_assigned_property_of_type")
    height, recurrence = ox.NamedNode(ns.MG + "height"), ox.NamedNode(ns.MG + "recurrence")
    triples = [ox.Triple(t.subject, t.predicate, recurrence)
               if t.predicate == p177 and t.object == height else t
               for t in document_triples(snap.store, iri(MONUMENT))]
    view = entity_view(triples, iri(MONUMENT), snap, site.urls, "en",
                       lambda p: site.property_label(snap, p))
    assert view.sections[-1].title == "Other statements"
    assert [g.label for g in view.sections[-1].groups] == ["recurrence"]
    assert "height" not in [f.label for f in view.summary]
