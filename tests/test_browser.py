"""A real browser (Debian's Chromium, driven by Playwright) on the real server."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import MASSACRE, MONUMENT, SOURCE_GUIDE, SOURCE_NEWS, iri
from tests.page_types import PAGE_TYPES, settle
from tests.server import running_server

AXE = Path(__file__).parent / "assets" / "axe.min.js"   # axe-core, from npm (web/editor/)
PHONE = {"width": 390, "height": 844}

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# A locator, not a JavaScript predicate: the pages' CSP (no eval) applies to the tests too.
ROWS_DRAWN = re.compile(r" rows? in ")


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


@pytest.fixture()
def nojs_page(browser):
    """A browser with JavaScript off: the forms must work on their own."""
    chromium, base = browser
    context = chromium.new_context(base_url=base, locale="en-GB", java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_memorial_page_shows_a_claim_with_both_its_sources(page):
    page.goto(f"/id/{MONUMENT}")
    assert page.url.endswith(f"/doc/{MONUMENT}")
    assert page.locator("h1").inner_text() == "Mother's Cry"
    section = page.get_by_role("region", name="commemorates")
    claim = section.locator(".claim").first
    claim.get_by_text("2 sources").click()          # the references, collapsed until asked for
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
    page.get_by_text("claims in one table").click()
    table = page.locator("section[aria-labelledby=supports] table")
    assert table.locator("th").all_inner_texts() == ["¶", "About", "Property", "Value"]
    rows = table.locator("tbody tr")
    assert f"Claims this source supports ({rows.count()})" in page.locator("#supports").inner_text()
    women = rows.filter(has_text="applies to part: women").locator("td").all_inner_texts()
    assert women == ["5", "Khojaly massacre", "number killed", "106 (applies to part: women)"]


def test_without_javascript_the_query_form_runs_a_query(nojs_page):
    page = nojs_page
    page.goto("/query")
    page.fill("#query", "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                        "SELECT ?name WHERE { ?m skos:prefLabel ?name FILTER(LANG(?name) = 'az') }")
    page.get_by_role("button", name="Run query").click()
    page.wait_for_selector("table.results")
    cells = page.locator("table.results td").all_inner_texts()
    assert "Ana harayı" in cells


def test_without_javascript_examples_load_into_the_form(nojs_page):
    page = nojs_page
    page.goto("/query")
    page.get_by_role("link", name="Figures by source").click()
    assert "mg:Count" in page.locator("#query").input_value()
    page.get_by_role("button", name="Run query").click()
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


# ---------------------------------------------------------------- entity pages you can scan
DESKTOP = {"width": 1280, "height": 900}
BEFORE_HEIGHT = 6643


def test_the_memorial_s_page_is_at_most_half_as_tall_as_before(browser, store):
    """Before the pages had a summary, sections per kind and collapsed references (one card per
    claim, properties in alphabetical order), the memorial's page was 6,643 px tall at 1280 px:
    `document.documentElement.scrollHeight` in this headless Chromium, viewport 1280 x 900, on
    the collection as committed at bdc165b (the issue measured 5,375 px on an earlier one).
    Nothing is lost: every claim about the memorial still has its place on the page."""
    chromium, base = browser
    context = chromium.new_context(base_url=base, viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    page.goto(f"/doc/{MONUMENT}")
    height = page.evaluate("document.documentElement.scrollHeight")
    on_page = set(page.locator(".claim").evaluate_all("els => els.map(e => e.id)"))
    context.close()
    assert height <= BEFORE_HEIGHT / 2, height
    claims = {r["c"].value.rsplit("/", 1)[-1] for r in store.select(
        "SELECT ?c WHERE { ?c <http://www.cidoc-crm.org/cidoc-crm/P140_assigned_attribute_to> "
        f"<{iri(MONUMENT)}> }}")}
    assert len(claims) > 20 and on_page == claims


def test_the_summary_shows_the_key_facts_of_a_monument_with_their_support(page):
    page.goto(f"/doc/{MONUMENT}")
    summary = page.get_by_role("region", name="Summary")
    assert summary.locator("dt").all_inner_texts() == [
        "Kind", "Names", "location", "made by", "made in", "material", "height", "commemorates"]
    assert summary.locator("dd").first.inner_text() == "monument"

    def fact(name: str):
        return summary.locator(".fact", has_text=name)

    assert fact("Baku").locator(".support").inner_text() == "2 sources"
    assert fact("Khatai district").locator(".support").inner_text() == "1 source"
    assert fact("Khojaly massacre").locator(".support").inner_text() == "2 sources"
    assert fact("about 9 m").locator(".support").inner_text() == "1 source"
    assert summary.locator("dd", has_text="Teymur Rustamov").locator(".fact").count() == 3
    # a marker leads to the claim, whose references say which two sources
    fact("Baku").locator(".support").click()
    claim = page.locator(".claim:target")
    claim.get_by_text("2 sources").click()
    assert claim.locator(".evidence li").count() == 2


def test_every_paragraph_locator_opens_that_paragraph_s_entry_on_the_source_page(page):
    page.goto(f"/doc/{MONUMENT}")
    hrefs = sorted(set(page.locator(".locator a").evaluate_all("els => els.map(e => e.href)")))
    assert len(hrefs) >= 10
    assert any(f"/doc/{SOURCE_GUIDE}#p5" in h for h in hrefs)
    for href in hrefs:
        page.goto(href)
        anchor = urlparse(href).fragment
        target = page.locator(f"#{anchor}")
        assert target.count() == 1, href
        assert target.is_visible()
        assert target.locator("li a").count() >= 1      # what the paragraph supports


def test_sources_that_differ_are_side_by_side_with_the_difference_marked(browser):
    chromium, base = browser
    context = chromium.new_context(base_url=base, viewport=DESKTOP, locale="en-GB")
    page = context.new_page()
    page.goto(f"/doc/{MASSACRE}")
    group = page.get_by_role("region", name="participant")
    differing = group.locator(".claim.differs")
    assert differing.count() == 2
    a, b = differing.nth(0).bounding_box(), differing.nth(1).bounding_box()
    marked = group.locator("mark.differs-in").all_inner_texts()
    context.close()
    assert a["y"] == b["y"] and a["x"] + a["width"] <= b["x"]
    assert sorted(marked) == ["encircled the town together with Armenian fighters",
                              "gave support to the Armenian armed formations"]


# ---------------------------------------------------------------- search
def test_the_search_box_finds_the_memorial_by_harayi(page):
    page.goto(f"/doc/{SOURCE_NEWS}")
    box = page.get_by_role("search", name="Site").get_by_role("searchbox")
    box.fill("harayi")
    box.press("Enter")
    page.wait_for_url("**/search?q=harayi")
    first = page.locator("ol.hits > li").first
    assert "Ana harayı abidəsi" in first.inner_text()
    assert first.locator("mark").first.inner_text() == "harayı"
    first.get_by_role("link", name="Mother's Cry").click()
    assert page.url.endswith(f"/doc/{MONUMENT}")


def test_search_filters_by_kind(page):
    page.goto("/search?q=khojaly")
    page.get_by_role("navigation", name="Results by kind").get_by_role(
        "link", name=re.compile(r"^Sources \(\d+\)$")).click()
    assert parse_qs(urlparse(page.url).query)["kind"] == ["sources"]
    kinds = page.locator("ol.hits .kind").all_inner_texts()
    assert kinds and all(k in ("article", "web page") for k in kinds), kinds


# ---------------------------------------------------------------- the query editor
def editor_text(page) -> str:
    return page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")


def wait_for_rows(page) -> None:
    """Until the results are drawn (the status line is written after the table)."""
    page.locator("#run-status", has_text=ROWS_DRAWN).wait_for()


def type_query(page, text: str) -> None:
    page.locator(".CodeMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def test_typing_a_query_and_ctrl_enter_shows_rows_with_a_permalink(page):
    page.goto("/query")
    type_query(page, "SELECT ?m ?name WHERE { ?m skos:prefLabel ?name . FILTER(LANG(?name) = 'az') }")
    # the prefix was completed from the collection's own table as it was typed
    assert "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>" in editor_text(page)
    page.keyboard.press("Control+Enter")
    wait_for_rows(page)
    rows = page.locator("#yasr table tbody tr")
    assert "Ana harayı" in page.locator("#yasr table").inner_text()
    assert page.locator("#run-status").inner_text().startswith(f"{rows.count()} row")
    link = page.locator("#yasr table a.iri", has_text=f"id:{MONUMENT}").first
    assert link.get_attribute("href") == f"/id/{MONUMENT}"     # its page here, short IRI
    assert "@az" in page.locator("#yasr table").inner_text()     # the language tag is shown
    # the address is now a permalink that runs the query when opened
    assert parse_qs(urlparse(page.url).query)["query"] == [editor_text(page)]
    formats = page.locator("#downloads a").all_inner_texts()
    assert formats[:4] == ["json", "xml", "csv", "tsv"] and "permalink" in formats
    permalink = page.url
    page.goto("about:blank")
    page.goto(permalink)
    page.locator("#yasr table tbody tr").first.wait_for()
    assert "Ana harayı" in page.locator("#yasr table").inner_text()


def test_results_sort_and_page_in_place(page):
    query = ("SELECT ?n WHERE { VALUES ?n { " + " ".join(str(i) for i in range(1, 121)) + " } }")
    page.goto("/query?query=" + query.replace(" ", "%20"))
    wait_for_rows(page)
    assert page.locator("#yasr table tbody tr").count() == 50          # one page of 50
    page.locator("#yasr .dt-paging").get_by_role("link", name="2", exact=True).click()
    assert page.locator("#yasr table tbody tr td").nth(1).inner_text().startswith('"51"')
    header = page.locator("#yasr table thead th", has_text="n")
    header.click()
    page.locator("#yasr th[aria-sort=ascending]").wait_for()
    header.click()
    page.locator("#yasr th[aria-sort=descending]").wait_for()
    # numbers sort as numbers, not as text ("99" > "120")
    assert page.locator("#yasr table tbody tr td").nth(1).inner_text().startswith('"120"')


def test_an_error_is_shown_in_place_with_its_line_and_column(page):
    page.goto("/query")
    type_query(page, "SELECT ?x WHERE { ?x ?y }")
    page.keyboard.press("Control+Enter")
    error = page.get_by_role("alert")
    error.wait_for()
    assert re.search(r"Error at line 1, column \d+: expected", error.inner_text())
    assert page.locator(".CodeMirror .query-error-line").count() == 1   # the line is marked
    assert page.url.endswith("/query")                                  # still this page


def test_terms_complete_from_the_ontology(page):
    page.goto("/query")
    type_query(page, "SELECT * WHERE { ?s a mg:Monum")
    page.keyboard.press("Control+Space")
    hints = page.locator(".CodeMirror-hints li")
    hints.first.wait_for()
    assert "mg:Monument" in hints.all_inner_texts()
    page.keyboard.press("Enter")
    assert "?s a mg:Monument" in editor_text(page)
    assert "PREFIX mg: <https://w3id.org/memorial-graph/ontology#>" in editor_text(page)


def test_the_keyboard_reaches_the_editor_leaves_it_and_reaches_the_results(page):
    page.goto("/query")

    def focused() -> str:
        return page.evaluate("""() => { const e = document.activeElement;
            if (e.matches('.CodeMirror textarea')) return 'editor';
            if (e.closest('#yasr table') && e.matches('a')) return 'result-link';
            if (e.closest('#yasr th')) return 'result-header';
            return e.tagName.toLowerCase() + (e.id ? '#' + e.id : ''); }""")

    for _ in range(30):
        page.keyboard.press("Tab")
        if focused() == "editor":
            break
    assert focused() == "editor"
    page.keyboard.press("Control+Enter")
    wait_for_rows(page)
    page.keyboard.press("Tab")
    assert focused() != "editor"                       # Tab leaves the editor
    seen = []
    for _ in range(80):
        page.keyboard.press("Tab")
        seen.append(focused())
        if seen[-1] == "result-header" and seen.count("result-header") == 1:
            page.keyboard.press("Enter")             # sorts by that column
            page.locator("#yasr th[aria-sort=ascending]").wait_for(timeout=5000)
            assert page.locator("#yasr th[aria-sort=ascending]").count() == 1
        if seen[-1] == "result-link":
            break
    assert "select#format" in seen and "result-header" in seen and "result-link" in seen, seen


def test_the_editor_and_its_results_fit_a_phone(browser):
    chromium, base = browser
    context = chromium.new_context(base_url=base, viewport=PHONE)
    page = context.new_page()
    page.goto(PAGE_TYPES["query"])
    settle(page, "query")
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= PHONE["width"]


def test_the_switcher_turns_the_site_azerbaijani_and_it_stays_so(browser):
    """Click "Azərbaycanca" in the header: the navigation is in Azerbaijani, and still is on the
    next page (the choice is remembered), with every request on this server."""
    chromium, base = browser
    context = chromium.new_context(base_url=base, locale="en-GB")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto("/")
        main_nav = page.get_by_role("navigation", name="Main")
        assert main_nav.get_by_role("link").first.inner_text() == "Monuments"
        page.get_by_role("link", name="Azərbaycanca").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "az"
        main_nav = page.get_by_role("navigation", name="Əsas")
        assert main_nav.get_by_role("link").all_inner_texts() == [
            "Abidələr", "Hadisələr", "Şəxslər", "Qruplar", "Yerlər", "Mənbələr", "Sorğu"]
        assert page.locator('.languages [aria-current="true"]').inner_text() == "Azərbaycanca"
        main_nav.get_by_role("link", name="Şəxslər").click()
        page.wait_for_load_state()
        assert urlparse(page.url).path == "/index/people" and "lang=" not in page.url
        assert page.locator("h1").inner_text() == "Şəxslər"
        assert page.get_by_role("navigation", name="Əsas").get_by_role("link").first.inner_text() == "Abidələr"
        assert page.locator("html").get_attribute("lang") == "az"
        page.get_by_role("link", name="English").click()
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "People"
    finally:
        context.close()
    assert requests and all(u.startswith(base + "/") for u in requests)


# ---------------------------------------------------------------- every page type
@pytest.fixture(scope="module")
def page_types(browser):
    """Each page type opened once with JavaScript on: axe-core's violations, the widest
    scroll width at a phone's size and every request the page made."""
    chromium, base = browser
    found = {}
    for name, path in PAGE_TYPES.items():
        # axe-core is the test's script, not the page's: it is injected past the page's CSP
        # (which allows no inline script). The other browser tests keep the CSP on.
        context = chromium.new_context(base_url=base, locale="en-GB", bypass_csp=True)
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r, requests=requests: requests.append(r.url))
        page.goto(path)
        settle(page, name)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("""async () => (await axe.run(document)).violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))""")
        page.set_viewport_size(PHONE)
        page.wait_for_timeout(100)
        width = page.evaluate("document.documentElement.scrollWidth")
        context.close()
        found[name] = (violations, width, [u for u in requests if not u.startswith("data:")])
    return base, found


@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_axe_finds_nothing_serious_or_critical(page_types, name):
    _base, found = page_types
    assert found[name][0] == []


@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_nothing_is_wider_than_a_phone(page_types, name):
    _base, found = page_types
    assert found[name][1] <= PHONE["width"]


def test_no_page_loads_anything_from_outside_the_server(page_types):
    base, found = page_types
    everything = [u for _violations, _width, requests in found.values() for u in requests]
    assert any("/static/editor/yasgui.min.js" in u for u in everything)
    assert any("/query/vocabulary.json" in u for u in everything)
    outside = sorted({u for u in everything if not u.startswith(base + "/")})
    assert outside == []
