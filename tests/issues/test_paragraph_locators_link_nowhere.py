"""Issue 12, item 1: '"¶ 5" links nowhere.' Each paragraph locator on an entity page links to
that paragraph's entry on the source's page, which lists what else the paragraph supports, and
the source's own URL is one click away."""

from __future__ import annotations

import re

from tests.conftest import MONUMENT, SOURCE_GUIDE
from tests.issues.conftest import claim_block, page

LOCATOR = re.compile(r'<a href="(/doc/(\w+)#(p(\d+)))">¶&nbsp;(\d+)</a>')


def entry(source_html: str, anchor: str) -> str:
    found = re.search(r'<li id="' + anchor + r'">(.*?)</ul></li>', source_html, re.S)
    assert found, f"no entry #{anchor} on the source page"
    return found.group(1)


def test_each_paragraph_locator_leads_to_the_paragraph_s_entry_listing_the_claim(client):
    html = page(client, MONUMENT)
    links = LOCATOR.findall(html)
    assert len(links) >= 20
    sources: dict[str, str] = {}
    for _href, source, anchor, n, shown in links:
        assert n == shown
        if source not in sources:
            sources[source] = page(client, source)
        assert f'id="{anchor}"' in sources[source]
    # the makers' paragraph of the travel guide: the claim links there, and the entry lists
    # the claim and what else that paragraph supports
    makers = claim_block(html, "fjycftg")       # made by Teymur Rustamov
    assert f'href="/doc/{SOURCE_GUIDE}#p5"' in makers
    five = entry(sources[SOURCE_GUIDE], "p5")
    assert 'href="/doc/fjycftg"' in five
    assert 'href="/doc/ffk4jrw"' in five and 'href="/doc/rray7hy"' in five   # the other makers, the making


def test_the_source_itself_is_linked_beside_its_paragraphs(client):
    makers = claim_block(page(client, MONUMENT), "fjycftg")
    assert 'class="external" href="https://bakutravelguide.com/' in makers
