"""The interface's language: chosen by `?lang=` (remembered in a cookie), else Accept-Language,
else English; pages say which (Content-Language, <html lang>) and that they vary by it (Vary:
Cookie, Accept-Language); machine-readable answers do not change. The catalogs cannot rot:
every marked string is translated into Azerbaijani, and the compiled .mo says what the .po says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from memorial_graph.web import create_app, i18n
from tests.conftest import MASSACRE, MONUMENT, SOURCE_NEWS

ROOT = Path(__file__).resolve().parents[2]
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def client(config):
    return create_app(config).test_client()


def nav(response) -> list[str]:
    html = response.get_data(as_text=True)
    main_nav = html.split('<nav aria-label="', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'<a href="[^"]+">([^<]+)</a>', main_nav)


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)">', response.get_data(as_text=True)).group(1)


def fresh(config):
    return create_app(config).test_client()      # a browser without cookies


def test_accept_language_chooses_the_interface(config):
    az = fresh(config).get("/", headers={**HTML, "Accept-Language": "az-AZ,az;q=0.9,en;q=0.5"})
    assert nav(az) == ["Abidələr", "Hadisələr", "Şəxslər", "Qruplar", "Yerlər", "Mənbələr", "Sorğu"]
    assert html_lang(az) == "az" and az.headers["Content-Language"] == "az"
    en = fresh(config).get("/", headers={**HTML, "Accept-Language": "de, en;q=0.4"})
    assert nav(en) == ["Monuments", "Events", "People", "Groups", "Places", "Sources", "Query"]
    assert html_lang(en) == "en" and en.headers["Content-Language"] == "en"


def test_the_lang_parameter_chooses_and_sets_a_lasting_cookie(config):
    client = fresh(config)
    chosen = client.get("/index/people?lang=az", headers={**HTML, "Accept-Language": "en"})
    assert html_lang(chosen) == "az" and "<h1>Şəxslər</h1>" in chosen.get_data(as_text=True)
    cookie = chosen.headers["Set-Cookie"]
    assert cookie.startswith("lang=az;")
    assert "SameSite=Lax" in cookie and "Path=/" in cookie
    assert int(re.search(r"Max-Age=(\d+)", cookie).group(1)) >= 365 * 24 * 3600
    assert chosen.headers["Cache-Control"] == "private"       # a shared cache keeps no Set-Cookie
    # The next page, without the parameter, is still in Azerbaijani: the cookie beats the
    # browser's English.
    later = client.get("/search", headers={**HTML, "Accept-Language": "en"})
    assert html_lang(later) == "az" and "<h1>Kolleksiyada axtarış</h1>" in later.get_data(as_text=True)
    assert "Set-Cookie" not in later.headers
    back = client.get("/search?lang=en", headers={**HTML, "Accept-Language": "az"})
    assert html_lang(back) == "en" and back.headers["Set-Cookie"].startswith("lang=en;")
    assert html_lang(client.get("/", headers={**HTML, "Accept-Language": "az"})) == "en"


def test_the_cookie_beats_accept_language(config):
    client = fresh(config)
    client.set_cookie("lang", "en")
    page = client.get("/", headers={**HTML, "Accept-Language": "az"})
    assert html_lang(page) == "en" and nav(page)[0] == "Monuments"
    assert page.headers["Content-Language"] == "en"


@pytest.mark.parametrize("value", ["xx", "AZE", "", "en-US'><script>"])
def test_an_unknown_choice_is_ignored_and_english_is_the_default(config, value):
    client = fresh(config)
    page = client.get("/", query_string={"lang": value}, headers=HTML)
    assert html_lang(page) == "en" and "Set-Cookie" not in page.headers
    client.set_cookie("lang", value)
    assert html_lang(client.get("/", headers=HTML)) == "en"
    # An unknown choice leaves the browser's own language in force.
    assert html_lang(client.get("/", headers={**HTML, "Accept-Language": "az"})) == "az"


@pytest.mark.parametrize("path", ["/", "/index/places", f"/doc/{MONUMENT}", "/search?q=xocal",
                                  "/query", "/queries/", "/releases/", "/dumps/", "/ontology",
                                  "/void", "/doc/zzzzzzz"])
def test_pages_vary_by_cookie_and_accept_language(config, path):
    client = fresh(config)
    client.set_cookie("lang", "az")
    page = client.get(path, headers=HTML)
    assert {"cookie", "accept-language"} <= {v.strip().lower() for v in page.headers["Vary"].split(",")}
    assert page.headers["Content-Language"].split(",")[0] == "az" == html_lang(page)


@pytest.mark.parametrize("path, accept", [
    (f"/doc/{MONUMENT}.ttl", "text/turtle"),
    ("/search.json?q=harayi", "application/json"),
    ("/sparql?query=ASK%7B%7D", "application/sparql-results+json"),
    ("/void", "text/turtle"),
    ("/health", "application/json"),
])
def test_machine_readable_answers_do_not_change(config, path, accept):
    plain = fresh(config).get(path, headers={"Accept": accept})
    chooser = fresh(config)
    chooser.set_cookie("lang", "az")
    chosen = chooser.get(path + ("&" if "?" in path else "?") + "lang=az", headers={"Accept": accept})
    assert chosen.status_code == plain.status_code == 200
    if path != "/health":
        assert chosen.data == plain.data
    assert "cookie" not in chosen.headers.get("Vary", "").lower()
    assert "Set-Cookie" not in chosen.headers and chosen.headers.get("Content-Language") != "az"


def test_the_switcher_links_each_language_keeping_the_page_and_its_parameters(config):
    page = fresh(config).get("/search?q=harayi&kind=monuments", headers=HTML).get_data(as_text=True)
    switcher = page.split('<ul class="languages"', 1)[1].split("</ul>", 1)[0]
    assert '<strong lang="en" aria-current="true">English</strong>' in switcher
    assert ('<a href="?q=harayi&amp;kind=monuments&amp;lang=az" lang="az" hreflang="az"'
            in switcher) and ">Azərbaycanca</a>" in switcher


def test_counts_and_dates_are_written_as_the_language_writes_them(config):
    en = fresh(config).get("/?lang=en", headers=HTML).get_data(as_text=True)
    az = fresh(config).get("/?lang=az", headers=HTML).get_data(as_text=True)
    quads = int(re.search(r"<strong>([\d,]+)</strong> quads", en).group(1).replace(",", ""))
    assert quads > 1000                                    # so that it has a group separator
    assert f"<strong>{quads:,}</strong> quads" in en
    assert f"<strong>{quads:,}</strong> kvad".replace(",", ".") in az
    assert "25 February 1992 to 26 February 1992" in en and "February 2026" in en
    assert "25 fevral 1992 – 26 fevral 1992" in az and "fevral 2026" in az
    # After a number Azerbaijani keeps the noun singular: "2 mənbə", not "2 mənbələr".
    assert ">2 mənbə<" in az and "mənbələr<" not in az.split('id="timeline"')[1].split("</ol>")[0]


def test_an_error_page_is_headed_in_the_readers_language(config):
    page = fresh(config).get("/index/nothing?lang=az", headers=HTML)
    html = page.get_data(as_text=True)
    assert page.status_code == 404 and "<h1>404 · Tapılmadı</h1>" in html
    assert "Ana səhifəyə qayıt" in html
    assert '<p class="error" role="alert" lang="en">' in html     # the message is English


def main_text(response) -> str:
    html = response.get_data(as_text=True)
    return html.split('<main id="main">', 1)[1].split("</main>", 1)[0]


def test_an_azerbaijani_reader_reads_the_memorial_s_page_in_azerbaijani(config):
    page = fresh(config).get(f"/doc/{MONUMENT}?lang=az", headers=HTML)
    assert html_lang(page) == "az" and page.headers["Content-Language"] == "az"
    main = main_text(page)          # <main> carries no lang of its own: it is the page's
    for heading in ('<h2 id="summary">Xülasə</h2>', '<h2 id="s-names">Adlar</h2>',
                    '<h2 id="s-where-it-is">Harada yerləşir</h2>', '<h2 id="cite">İstinad üçün</h2>'):
        assert heading in main
    assert "Daimi URI:" in main and "<dt>Növ</dt>" in main
    # Counts with the noun singular, and the "more" link, in Azerbaijani.
    assert 'class="support" href="#' in main and ">2 mənbə</a>" in main and ">1 mənbə</a>" in main
    assert re.search(r'<a class="more" href="#s-names">və daha \d+</a>', main)
    # The ontology's labels are English data, and say so; an English name says so too.
    assert ('<a href="#p-crm-P53_has_former_or_current_location" lang="en">location</a>'
            in main)
    assert re.search(r'<a href="/doc/\w+" lang="en">Baku</a>', main)
    main = re.sub(r'<p class="citation" lang="en">.*?</p>', "", main)   # English, marked so
    for english in ("Summary", "Stable URI", "Cite this", "sources</a>", "This claim on its own",
                    "According to", "every version", "Where it is"):
        assert english not in main, english


def test_an_english_reader_s_entity_page_is_unchanged(config):
    page = fresh(config).get(f"/doc/{MONUMENT}", headers={**HTML, "Accept-Language": "en"})
    main = main_text(page)
    assert html_lang(page) == "en" and page.headers["Content-Language"] == "en"
    assert '<h2 id="summary">Summary</h2>' in main
    assert '<h2 id="s-where-it-is">Where it is</h2>' in main    # the same anchors in both
    assert ">2 sources</a>" in main and ">1 source</a>" in main
    assert "Stable URI:" in main
    assert '<a href="#p-crm-P53_has_former_or_current_location">location</a>' in main


def test_dates_on_entity_pages_are_written_in_the_reader_s_language(config):
    az = main_text(fresh(config).get(f"/doc/{MASSACRE}?lang=az", headers=HTML))
    en = main_text(fresh(config).get(f"/doc/{MASSACRE}?lang=en", headers=HTML))
    assert "25 fevral 1992 – 26 fevral 1992" in az
    assert "25 February 1992 to 26 February 1992" in en
    source = main_text(fresh(config).get(f"/doc/{SOURCE_NEWS}?lang=az", headers=HTML))
    assert '<h2 id="about-source">Bu mənbə haqqında</h2>' in source
    assert "<dt>nəşr edən</dt>" in source and "<dd>fevral 2026</dd>" in source
    assert re.search(r'<h2 id="supports">Bu mənbənin təsdiq etdiyi iddialar \(\d+\)</h2>', source)


def test_an_azerbaijani_reader_reads_the_dataset_card_in_azerbaijani(config):
    en_page = fresh(config).get("/void?lang=en", headers=HTML)
    az_page = fresh(config).get("/void?lang=az", headers=HTML)
    en, az = main_text(en_page), main_text(az_page)
    assert html_lang(az_page) == "az" and az_page.headers["Content-Language"] == "az"
    assert html_lang(en_page) == "en" and en_page.headers["Content-Language"] == "en"
    for heading in ("Rəqəmlərlə", "Giriş və şərtlər", "Yükləmələr",
                    "Növlərə görə qeydlər və mənbələr", "Lüğətlər və nümunələr"):
        assert f">{heading}</h2>" in az
    for heading in ("In numbers", "Access and terms", "Downloads", "Records and sources by kind",
                    "Vocabularies and examples"):
        assert f">{heading}</h2>" in en and heading not in az
    triples = int(re.search(r'<span class="n">([\d,]+)</span> triples', en).group(1).replace(",", ""))
    assert triples > 1000                                   # so that it has a group separator
    assert f'<span class="n">{triples:,}</span> üçlük'.replace(",", ".") in az
    assert "<dt>saxlanılan buraxılışlar</dt>" in az and "<dt>releases kept</dt>" in en
    # The collection's title and the ontology's class labels are English data, marked so.
    assert '<h1 id="title" lang="en">' in az and '<h1 id="title">' in en
    assert '<span lang="en">person</span>' in az


# ------------------------------------------------------------------ the catalogs
def extracted() -> set:
    """Every string the web tier marks for translation, extracted as `make messages` does."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT / "src"), [(f"memorial_graph/{p.split('src/memorial_graph/', 1)[1]}", m)
                                for p, m in method_map],
            {f"memorial_graph/{p.split('src/memorial_graph/', 1)[1]}": o
             for p, o in options_map.items()}, keywords=keywords):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def catalog(lang: str):
    with (i18n.TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f)


def test_every_marked_string_is_translated_into_azerbaijani():
    marked = extracted()
    assert "Skip to content" in marked and ("%(num)s source", "%(num)s sources") in marked
    # the entity page, its partials, entity_layout's headings, the dataset card's counts
    assert {"Summary", "Cite this", "Where it is", "Other statements", "publisher",
            "In numbers", ("triple", "triples")} <= marked
    az = catalog("az")
    problems = []
    for msgid in sorted(marked, key=str):
        message = az.get(msgid if isinstance(msgid, str) else msgid[0])
        strings = message.string if message and isinstance(message.string, tuple) else (
            (message.string,) if message else ())
        if message is None:
            problems.append(f"not in the az catalog (run make messages): {msgid!r}")
        elif message.fuzzy or not all(strings):
            problems.append(f"untranslated or fuzzy in az: {msgid!r}")
    problems += [f"{m.id!r}: {', '.join(map(str, errors))}" for m, errors in az.check()]
    assert problems == []


@pytest.mark.parametrize("lang", sorted(i18n.LANGUAGES))
def test_the_compiled_catalog_says_what_the_po_says(lang):
    po = catalog(lang)
    with (i18n.TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo").open("rb") as f:
        mo = read_mo(f)
    def text(value):
        return value if isinstance(value, str) else tuple(value)

    said = {text(m.id): text(m.string) for m in po if m.id}
    compiled = {text(m.id): text(m.string) for m in mo if m.id}
    assert compiled == said, "run make messages to compile the catalogs"


def test_names_fall_back_from_azerbaijani_to_english_and_say_so(config):
    """A name the collection has in Azerbaijani is shown in it; one it has only in English is
    shown in English, marked lang="en" inside the Azerbaijani page."""
    page = fresh(config).get("/index/monuments?lang=az", headers=HTML).get_data(as_text=True)
    assert re.search(r'<a href="/doc/' + MONUMENT + r'">Ana harayı</a>', page)
    people = fresh(config).get("/index/people?lang=az", headers=HTML).get_data(as_text=True)
    assert re.search(r'<a href="/doc/\w+" lang="en">Teymur Rustamov</a>', people)
