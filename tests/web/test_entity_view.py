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
