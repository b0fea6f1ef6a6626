"""Issue 10, item 8: "Sitemap and robots: `robots.txt` names an absolute sitemap URL; sitemap
entries are the URLs each page declares canonical; `/sitemap-0.xml` returns page 0." Before,
robots.txt said `Sitemap: /sitemap.xml`, entity pages declared the identifier (which answers 303)
canonical while the sitemap listed `/doc/…`, and pages were numbered from 1."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest

from tests.conftest import MONUMENT

LOC = re.compile(r"<loc>([^<]+)</loc>")
CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')


def text(url: str, accept: str = "text/html") -> str:
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}),
                                timeout=20) as r:
        return r.read().decode("utf-8")


def test_robots_names_an_absolute_sitemap(live):
    lines = [line for line in text(f"{live}/robots.txt").splitlines() if line.startswith("Sitemap:")]
    assert lines == [f"Sitemap: {live}/sitemap.xml"]


def test_every_entry_is_the_canonical_url_of_its_page(live):
    entries = LOC.findall(text(f"{live}/sitemap.xml"))
    assert f"{live}/" in entries and f"{live}/doc/{MONUMENT}" in entries
    assert f"{live}/index/people" in entries
    assert len(entries) == len(set(entries)) >= 30
    for url in entries:
        found = CANONICAL.findall(text(url))
        assert found == [url], url


def test_sitemap_pages_count_from_zero(live):
    assert LOC.findall(text(f"{live}/sitemap-0.xml")) == LOC.findall(text(f"{live}/sitemap.xml"))
    with pytest.raises(urllib.error.HTTPError) as info:
        text(f"{live}/sitemap-1.xml")
    assert info.value.code == 404
