"""Browsing: the home page's timeline of events, and paged, sortable indexes."""

from __future__ import annotations

import re

import pytest

from memorial_graph.web import create_app, pages
from tests.conftest import MASSACRE


@pytest.fixture(scope="module")
def client(config):
    return create_app(config).test_client()


def test_the_home_page_shows_the_events_in_time_order_with_their_sources(client):
    html = client.get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    timeline = html.split('id="timeline"', 1)[1].split("</ol>", 1)[0]
    dates = re.findall(r'<span class="date">([^<]+)</span>', timeline)
    assert "25 February 1992 to 26 February 1992" in dates      # 1992-02-25/1992-02-26
    assert dates.index("25 February 1992 to 26 February 1992") < dates.index("February 2026")
    massacre = next(li for li in timeline.split("<li>") if f"/doc/{MASSACRE}" in li)
    assert "2 sources" in massacre          # both sources give the night of 25-26 February


def test_an_index_is_paged_with_links_between_pages(client, monkeypatch):
    monkeypatch.setattr(pages, "PAGE_SIZE", 3)
    first = client.get("/index/places").get_data(as_text=True)
    assert 'rel="next" href="/index/places?sort=name&amp;page=2"' in first
    assert "page 1 of" in first and first.count('<li><a href="/doc/') == 3
    last_page = int(re.search(r"page 1 of (\d+)", first).group(1))
    last = client.get(f"/index/places?page={last_page}").get_data(as_text=True)
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert client.get(f"/index/places?page={last_page + 1}").status_code == 404
    assert client.get("/index/places?page=x").status_code == 400


def test_an_index_sorts_by_name_or_by_kind(client):
    by_kind = client.get("/index/places?sort=kind").get_data(as_text=True)
    kinds = re.findall(r'<span class="kind">([^<]+)</span>', by_kind)
    assert kinds == sorted(kinds, key=str.lower) and len(set(kinds)) > 1
    by_name = client.get("/index/places").get_data(as_text=True)
    names = re.findall(r'<li><a href="/doc/[^"]+">([^<]+)</a>', by_name)
    assert names == sorted(names, key=str.lower)
    assert client.get("/index/places?sort=colour").status_code == 400
