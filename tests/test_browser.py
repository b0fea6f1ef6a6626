"""A real browser (Debian's Chromium, driven by Playwright) on the real server."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import MONUMENT, SOURCE_NEWS
from tests.server import running_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser(built):
    config, _ = built
    with running_server(config.project_dir) as base, sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium, base
        chromium.close()


@pytest.fixture()
def page(browser):
    chromium, base = browser
    context = chromium.new_context(base_url=base, locale="en-GB")
    yield context.new_page()
    context.close()


def test_memorial_page_shows_a_claim_with_both_its_sources(page):
    page.goto(f"/id/{MONUMENT}")
    assert page.url.endswith(f"/doc/{MONUMENT}")
    assert page.locator("h1").inner_text() == "Mother's Cry"
    section = page.get_by_role("region", name="commemorates")
    claim = section.locator(".claim").first
    text = claim.inner_text()
    assert "Khojaly massacre" in text
    assert "Flowers and prayers in Baku" in text
    assert "Khojaly Genocide Memorial in Baku" in text
    assert claim.locator(".locator").count() == 2
    assert page.locator("main").count() == 1 and page.locator("nav").count() == 1


def test_a_label_the_editors_give_is_not_credited_to_a_source(page):
    page.goto("/doc/jyfszk2")    # the annual commemoration, named by the editors
    claim = page.get_by_role("region", name="preferred name").locator(".claim").first
    text = claim.inner_text()
    assert "A label given by the editors of this collection" in text
    assert "According to" not in text
    assert claim.get_by_role("list", name="sources").count() == 0


def test_a_source_page_lists_each_claim_once_with_its_property(page):
    page.goto(f"/doc/{SOURCE_NEWS}")
    table = page.locator("section[aria-labelledby=supports] table")
    assert table.locator("th").all_inner_texts() == ["¶", "About", "Property", "Value"]
    rows = table.locator("tbody tr")
    assert f"Claims this source supports ({rows.count()})" in page.locator("#supports").inner_text()
    women = rows.filter(has_text="applies to part: women").locator("td").all_inner_texts()
    assert women == ["5", "Khojaly massacre", "number killed", "106 (applies to part: women)"]


def test_query_page_runs_a_query_and_shows_results(page):
    page.goto("/query")
    page.fill("#query", "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                        "SELECT ?name WHERE { ?m skos:prefLabel ?name FILTER(LANG(?name) = 'az') }")
    page.click("button[type=submit]")
    page.wait_for_selector("table.results")
    cells = page.locator("table.results td").all_inner_texts()
    assert "Ana harayı" in cells


def test_example_queries_load_into_the_editor(page):
    page.goto("/query")
    page.get_by_role("link", name="Figures by source").click()
    assert "mg:Count" in page.locator("#query").input_value()
    page.click("button[type=submit]")
    page.wait_for_selector("table.results")
    assert "613" in page.locator("table.results").inner_text()


def test_page_fits_a_phone(browser):
    chromium, base = browser
    phone = chromium.new_context(base_url=base, viewport={"width": 375, "height": 740})
    p = phone.new_page()
    p.goto(f"/doc/{MONUMENT}.html")
    width = p.evaluate("document.documentElement.scrollWidth")
    phone.close()
    assert width <= 375
