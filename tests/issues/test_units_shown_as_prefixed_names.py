"""Issue 10, item 14: 'Raw names and ids: units shown as `mg:family`'. A reader sees a
unit's name ("8 families"), never the ontology's prefixed name."""

from __future__ import annotations

from tests.conftest import MASSACRE
from tests.issues.conftest import claim_block, page, text

ANNIVERSARY_COMMEMORATION = "n28edn4"


def test_a_count_of_families_reads_as_families(client):
    html = page(client, MASSACRE)
    assert text(claim_block(html, "mkqsmpw")).startswith("8 families")
    assert "mg:family" not in html


def test_every_unit_on_every_page_is_a_name(client):
    assert text(claim_block(page(client, ANNIVERSARY_COMMEMORATION), "y6qsbct")).startswith("34 years")
    html = page(client, "pfft2yk")
    assert text(claim_block(html, "t3p3x67")).startswith("about 9 m")
    for ident in (MASSACRE, ANNIVERSARY_COMMEMORATION, "pfft2yk", "cgywn8r"):
        assert "mg:" not in text(page(client, ident)), ident
