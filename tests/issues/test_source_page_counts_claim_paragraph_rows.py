"""Issue 10, item 13: 'Source pages: "Claims this source supports (60)" counts claim×paragraph
rows (55 claims); the table has no property column ("women | women"). Show property, value,
subject and paragraph, counted per claim.'"""

from __future__ import annotations

import re

import pyoxigraph as ox

from tests.conftest import SOURCE_NEWS, iri
from tests.issues.conftest import page, text

CLAIMS_CITING = """
PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?source (COUNT(DISTINCT ?claim) AS ?n)
WHERE { ?claim crm:P16_used_specific_object/oa:hasSource ?source } GROUP BY ?source
"""


def table(html: str) -> tuple[list[str], list[list[str]]]:
    """The 'Claims this source supports' table as a reader sees it: headers and cell texts."""
    section = re.search(r'<section aria-labelledby="supports">(.*?)</section>', html, re.S).group(1)
    headers = [text(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", section, re.S)]
    body = re.search(r"<tbody>(.*?)</tbody>", section, re.S).group(1)
    rows = [[text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]
    return headers, rows


def test_the_heading_counts_claims_not_claim_paragraph_rows(client, store):
    html = page(client, SOURCE_NEWS)
    claims = int(store.select(CLAIMS_CITING, {ox.Variable("source"): ox.NamedNode(iri(SOURCE_NEWS))})[0]["n"].value)
    assert f"Claims this source supports ({claims})" in text(html)
    assert len(table(html)[1]) == claims


def test_the_table_shows_subject_property_value_and_paragraphs(client):
    headers, rows = table(page(client, SOURCE_NEWS))
    assert headers == ["¶", "About", "Property", "Value"]
    by_cells = {tuple(r) for r in rows}
    # the figure for women is a number killed, for the part of the population it applies to
    assert ("5", "Khojaly massacre", "number killed", "106 (applies to part: women)") in by_cells
    # a claim citing two paragraphs of the source is one row naming both
    participants = [r for r in rows if r[2] == "participants" and r[1].startswith("34th")]
    assert [r[0] for r in participants] == ["1, 2"]
