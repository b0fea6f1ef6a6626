"""Issue 10, item 11: '"Sources differ" on the death toll is false. The event page badges
*number killed* as disagreeing: both sources give 613, and one also gives sub-counts qualified
"applies to" women, children, elderly. One definition of disagreement (same subject, property
and qualifiers; different values; no shared source) serves the page, the `disagreements` query
and `stats`; qualifiers are shown as such (Wikidata's "applies to part").'"""

from __future__ import annotations

import re

from memorial_graph import saved_queries, stats
from memorial_graph.build import build
from memorial_graph.config import Config
from memorial_graph.store import EmbeddedStore
from memorial_graph.web import create_app
from tests.conftest import MASSACRE, ROOT, iri
from tests.issues.conftest import claim_block, group, page, text

SAVED = saved_queries.load_all(ROOT / "queries")
BADGE = "sources differ"


def badged(client, store) -> set[tuple[str, str]]:
    """(entity, property label) of every group an entity page badges as disagreeing."""
    rows = store.select("PREFIX mg: <https://w3id.org/memorial-graph/ontology#> "
                        "SELECT DISTINCT ?e WHERE { ?c a mg:Claim ; "
                        "<http://www.cidoc-crm.org/cidoc-crm/P140_assigned_attribute_to> ?e }")
    out = set()
    for row in rows:
        html = page(client, row["e"].value.rsplit("/", 1)[-1])
        for label in re.findall(r'<section class="group[^"]*" aria-label="([^"]+)">\s*<h3>[^<]*'
                                r'<span class="badge">' + BADGE, html):
            out.add((row["e"].value, label))
    return out


def listed(store) -> set[tuple[str, str]]:
    """(subject, property label) of every pair the `disagreements` saved query lists."""
    return {(r["subject"].value, r["propertyLabel"].value)
            for r in store.select(SAVED["disagreements"].text)}


def test_the_death_toll_both_sources_give_is_not_badged(client):
    html = page(client, MASSACRE)
    assert BADGE not in group(html, "number killed")
    assert BADGE in group(html, "participant")   # the regiment's two roles do differ


def test_sub_counts_show_their_qualifier_as_applies_to_part(client):
    html = page(client, MASSACRE)
    women = claim_block(html, "xm3vxk9")
    assert 'class="qualifiers"' in women
    assert "applies to part: women" in text(women)
    assert "applies to" not in text(claim_block(html, "w2kwyam"))   # the total is unqualified


def test_the_page_the_saved_query_and_stats_agree(client, store):
    on_pages = badged(client, store)
    in_query = listed(store)
    assert on_pages == in_query
    assert (iri(MASSACRE), "participant") in in_query
    assert (iri(MASSACRE), "number killed") not in in_query
    pairs = {(r["claimA"].value, r["claimB"].value) for r in store.select(SAVED["disagreements"].text)}
    assert stats.collect(store, SAVED)["disagreements"] == len(pairs)


SECOND_FIGURE_FOR_WOMEN = """
      - id: wq7rz3k
        property: mg:numberKilled
        count: 100
        applies_to: rxjjr5k  # women
        sources: [{source: ra5wd27, paragraph: 10}]
"""


def test_a_differing_figure_for_the_same_part_is_a_disagreement(project):
    """Two sources counting the same part of the population differently do disagree; that
    figure is not compared with the total or with the figures for other parts."""
    events = project / "data" / "entities" / "events.yaml"
    anchor = "      - id: gqfvyte\n"
    events.write_text(events.read_text(encoding="utf-8").replace(
        anchor, SECOND_FIGURE_FOR_WOMEN.lstrip("\n") + anchor), encoding="utf-8")
    config = Config.for_project(project)
    store = EmbeddedStore.open_release(build(config))
    rows = [r for r in store.select(SAVED["disagreements"].text)
            if r["propertyLabel"].value == "number killed"]
    assert [(r["claimA"].value, r["claimB"].value) for r in rows] == [(iri("wq7rz3k"), iri("xm3vxk9"))]
    assert rows[0]["appliesToLabel"].value == "women"
    assert BADGE in group(page(create_app(config).test_client(), MASSACRE), "number killed")
