"""Issue 11, end to end: two builds with a claim's note edited in between, served by the real
server (gunicorn) and read with real clients (urllib, SPARQLWrapper, bibtexparser, a CSL-JSON
schema validator, rdflib with schema.org's own context and vocabulary)."""

from __future__ import annotations

import gzip
import json
import re
import time
import urllib.error
import urllib.request
from datetime import timedelta
from email.utils import format_datetime
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rdflib
from SPARQLWrapper import JSON, SPARQLWrapper

from memorial_graph.build import build
from memorial_graph.config import Config
from memorial_graph.content_hash import claim_hash
from tests.conftest import MASSACRE, MONUMENT, copy_project, iri
from tests.server import running_server

DATA = Path(__file__).parent / "data"
CLAIM = "t8ye7ap"            # the time-span of the events at Khojaly, which has a note
OLD_NOTE = "The night of 25 to 26 February 1992."
NEW_NOTE = "The night from 25 to 26 February 1992 (as both sources date it)."
UNCHANGED = "yggr8pe"        # another claim about the same event, left alone


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, headers: dict | None = None, follow: bool = True):
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(_NoRedirect)
    try:
        return opener.open(urllib.request.Request(url, headers=headers or {}), timeout=20)
    except urllib.error.HTTPError as error:
        return error


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("citable"))
    config = Config.for_project(project)
    first = build(config)
    events = project / "data" / "entities" / "events.yaml"
    text = events.read_text(encoding="utf-8")
    assert OLD_NOTE in text
    events.write_text(text.replace(OLD_NOTE, NEW_NOTE), encoding="utf-8")
    while time.time() < first.created.timestamp() + 2:   # a datetime strictly between them
        time.sleep(0.2)
    second = build(config)
    with running_server(project) as base:
        yield base, first, second


def test_the_changed_entity_s_timemap_lists_both_mementos_with_their_dates(two_releases):
    base, first, second = two_releases
    with fetch(f"{base}/timemap/{MASSACRE}") as r:
        assert r.headers["Content-Type"].startswith("application/link-format")
        body = r.read().decode()
    for release in (first, second):
        line = next(ln for ln in body.splitlines() if f"/releases/{release.id}/doc/{MASSACRE}>" in ln)
        assert f'datetime="{format_datetime(release.created, usegmt=True)}"' in line
    assert 'rel="original"' in body and 'rel="timegate"' in body
    with fetch(f"{base}/timemap/{MASSACRE}.json") as r:
        listed = json.load(r)["mementos"]["list"]
    assert [m["release"] for m in listed] == [first.id, second.id]


def test_accept_datetime_before_the_second_build_redirects_to_the_first(two_releases):
    base, first, second = two_releases
    between = format_datetime(first.created + timedelta(seconds=1), usegmt=True)
    r = fetch(f"{base}/timegate/{MASSACRE}", {"Accept-Datetime": between}, follow=False)
    assert r.status == 302
    assert "accept-datetime" in r.headers["Vary"].lower()
    assert r.headers["Location"].endswith(f"/releases/{first.id}/doc/{MASSACRE}")
    with fetch(base + r.headers["Location"], {"Accept": "text/turtle"}) as m:
        old = m.read().decode()
        assert m.headers["Memento-Datetime"] == format_datetime(first.created, usegmt=True)
        links = m.headers["Link"]
    assert OLD_NOTE in old and NEW_NOTE not in old
    assert f'</doc/{MASSACRE}>; rel="original"' in links
    assert f"/releases/{second.id}/doc/{MASSACRE}>; rel=\"last memento\"" in links
    assert f"/releases/{second.id}/doc/{MASSACRE}>; rel=\"next memento\"" in links
    with fetch(f"{base}/doc/{MASSACRE}", {"Accept": "text/turtle"}) as now:
        assert NEW_NOTE in now.read().decode()
        assert f'</timegate/{MASSACRE}>; rel="timegate"' in now.headers["Link"]


def test_a_memento_of_the_current_release_is_the_document_byte_for_byte(two_releases):
    base, _first, second = two_releases
    for accept in ("text/html", "text/turtle"):
        with fetch(f"{base}/doc/{MASSACRE}", {"Accept": accept}) as a, \
                fetch(f"{base}/releases/{second.id}/doc/{MASSACRE}", {"Accept": accept}) as b:
            assert a.read() == b.read()
            assert a.headers["ETag"] == b.headers["ETag"]


def _hashes(base: str, release_id: str | None) -> dict[str, str]:
    path = f"/releases/{release_id}/doc/{MASSACRE}.nt" if release_id else f"/doc/{MASSACRE}.nt"
    with fetch(base + path) as r:
        graph = rdflib.Graph().parse(data=r.read(), format="nt")
    prop = rdflib.URIRef("https://w3id.org/memorial-graph/ontology#contentHash")
    return {str(s).rsplit("/", 1)[-1]: str(o) for s, o in graph.subject_objects(prop)}


def test_hashes_of_unchanged_claims_are_equal_across_releases_and_of_the_changed_one_differ(two_releases):
    base, first, second = two_releases
    old, new = _hashes(base, first.id), _hashes(base, second.id)
    assert old.keys() == new.keys() and len(old) > 20
    assert {c for c in old if old[c] != new[c]} == {CLAIM}
    assert old[UNCHANGED] == new[UNCHANGED]


def test_a_cited_claim_verifies_against_the_release_that_holds_it(two_releases):
    import pyoxigraph as ox

    base, first, _second = two_releases
    with fetch(f"{base}/releases/{first.id}/doc/{CLAIM}.nt") as r:
        triples = list(ox.parse(r.read(), format=ox.RdfFormat.N_TRIPLES))
    published = _hashes(base, first.id)[CLAIM]
    assert claim_hash(triples, iri(CLAIM)) == published


def test_a_claim_s_history_is_one_query(two_releases):
    base, first, second = two_releases
    query = (Path(__file__).parent.parent / "src/memorial_graph/queries/history-of.rq").read_text()
    query = "\n".join(line for line in query.splitlines() if not line.startswith("#"))
    sparql = SPARQLWrapper(f"{base}/sparql")
    sparql.setQuery(query.replace("?iri ?release", "?release", 1).replace("?iri", f"<{iri(CLAIM)}>"))
    sparql.setReturnFormat(JSON)
    rows = sparql.queryAndConvert()["results"]["bindings"]
    changes = [(r["release"]["value"].rsplit("/", 1)[-1], r["change"]["value"].rsplit("#", 1)[-1])
               for r in rows]
    assert changes == [(first.id, "ClaimAdded"), (second.id, "ClaimChanged")]


def test_a_past_release_s_sparql_endpoint_answers_from_that_release(two_releases):
    base, first, second = two_releases
    query = (f"SELECT ?note WHERE {{ <{iri(CLAIM)}> "
             f"<https://w3id.org/memorial-graph/ontology#note> ?note }}")
    for release, note in ((first, OLD_NOTE), (second, NEW_NOTE)):
        sparql = SPARQLWrapper(f"{base}/releases/{release.id}/sparql")
        sparql.setQuery(query)
        sparql.setReturnFormat(JSON)
        rows = sparql.queryAndConvert()["results"]["bindings"]
        assert [r["note"]["value"] for r in rows] == [note]


def test_bibtex_by_negotiation_parses_and_pins_the_release(two_releases):
    base, _first, second = two_releases
    with fetch(f"{base}/id/{MONUMENT}", {"Accept": "application/x-bibtex"}) as r:
        assert r.headers["Content-Type"].startswith("application/x-bibtex")
        library = bibtexparser.parse_string(r.read().decode())
    assert not library.failed_blocks
    (entry,) = library.entries
    fields = {f.key: f.value for f in entry.fields}
    assert fields["url"] == f"https://w3id.org/memorial-graph/releases/{second.id}/id/{MONUMENT}"
    assert fields["version"] == second.id
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", fields["urldate"])
    assert "memorial-graph project" in fields["author"]


def test_csl_json_by_negotiation_is_valid_against_the_csl_schema(two_releases):
    base, _first, second = two_releases
    schema = json.loads((DATA / "csl" / "csl-data.json").read_text(encoding="utf-8"))
    for ident in (MONUMENT, CLAIM):
        with fetch(f"{base}/id/{ident}",
                   {"Accept": "application/vnd.citationstyles.csl+json"}) as r:
            items = json.load(r)
        jsonschema.validate(items, schema)
        assert items[0]["version"] == second.id
    assert "SHA-256" in items[0]["note"]     # a claim's citation names the claim and its hash


def test_ris_and_plain_citations_by_negotiation(two_releases):
    base, _first, second = two_releases
    with fetch(f"{base}/id/{MONUMENT}", {"Accept": "application/x-research-info-systems"}) as r:
        ris = r.read().decode()
    assert ris.startswith("TY  - DATA") and ris.rstrip().endswith("ER  -")
    assert f"ET  - {second.id}" in ris
    with fetch(f"{base}/doc/{MONUMENT}", {"Accept": "text/x-bibliography"}) as r:
        assert f"release {second.id}" in r.read().decode()


def test_the_feed_lists_the_update_with_its_release(two_releases):
    base, _first, second = two_releases
    with fetch(base + "/") as home:
        feed_link = next(part for part in home.headers["Link"].split(", ")
                         if 'type="application/activity+json"' in part)
    feed_url = base + feed_link.split(">", 1)[0].lstrip("<")
    with fetch(feed_url) as r:
        assert r.headers["Content-Type"].startswith("application/activity+json")
        collection = json.load(r)
    assert collection["type"] == "OrderedCollection"
    with fetch(collection["last"]["id"].replace("http://localhost", base)) as r:
        page = json.load(r)
    updates = [a for a in page["orderedItems"] if a["type"] == "Update"]
    assert [a["object"]["id"] for a in updates] == [iri(MASSACRE)]
    assert updates[0]["context"]["name"] == second.id
    with fetch(f"{base}/void", {"Accept": "text/turtle"}) as r:
        void = rdflib.Graph().parse(data=r.read(), format="turtle")
    assert rdflib.URIRef(feed_url) in set(void.objects(None, rdflib.RDFS.seeAlso))


class _JsonLd(HTMLParser):
    def __init__(self):
        super().__init__()
        self.blocks, self._in = [], False

    def handle_starttag(self, tag, attrs):
        self._in = tag == "script" and ("type", "application/ld+json") in attrs

    def handle_data(self, data):
        if self._in:
            self.blocks.append(data)

    def handle_endtag(self, tag):
        self._in = False


SCHEMA_TERMS: set[str] = set()


def _schema_terms() -> set[str]:
    if not SCHEMA_TERMS:
        vocabulary = rdflib.Graph().parse(
            data=gzip.decompress((DATA / "schemaorg" / "schemaorg-current-https-29.4.ttl.gz")
                                 .read_bytes()).decode(), format="turtle")
        SCHEMA_TERMS.update(str(s).removeprefix("https://schema.org/") for s in vocabulary.subjects())
    return SCHEMA_TERMS


def _as_schema_org(page: bytes) -> rdflib.Graph:
    """The page's JSON-LD, read with schema.org's own context (shipped in tests/data)."""
    context = json.loads(gzip.decompress(
        (DATA / "schemaorg" / "schemaorgcontext-9.0.jsonld.gz").read_bytes()))["@context"]
    parser = _JsonLd()
    parser.feed(page.decode())
    (block,) = parser.blocks
    data = json.loads(block)
    assert data["@context"] == "https://schema.org"
    data["@context"] = context
    return rdflib.Graph().parse(data=json.dumps(data), format="json-ld")


def _check_schema_terms(graph: rdflib.Graph) -> set[str]:
    terms = _schema_terms()
    types = set()
    for _s, p, o in graph:
        for term in (o,) if p == rdflib.RDF.type else (p,):
            local = str(term).removeprefix("http://schema.org/")
            assert str(term).startswith("http://schema.org/") and local in terms, term
            if p == rdflib.RDF.type:
                types.add(local)
    return types


def test_an_entity_page_s_json_ld_parses_as_schema_org(two_releases):
    base, _first, _second = two_releases
    with fetch(f"{base}/doc/{MONUMENT}", {"Accept": "text/html"}) as r:
        page = r.read()
    graph = _as_schema_org(page)
    types = _check_schema_terms(graph)
    assert {"VisualArtwork", "LandmarksOrHistoricalBuildings"} <= types
    names = {str(o) for o in graph.objects(rdflib.URIRef(iri(MONUMENT)),
                                           rdflib.URIRef("http://schema.org/name"))}
    assert {"Mother's Cry", "Ana harayı"} <= names
    text = page.decode()
    assert '<meta name="citation_title" content="Mother&#39;s Cry">' in text
    assert '<meta name="DC.identifier" content="https://w3id.org/memorial-graph/id/pfft2yk">' in text


def test_the_home_page_s_json_ld_is_a_schema_org_dataset(two_releases):
    base, _first, second = two_releases
    with fetch(base + "/") as r:
        graph = _as_schema_org(r.read())
    assert _check_schema_terms(graph) >= {"Dataset"}
    assert rdflib.Literal(second.id) in set(graph.objects(None, rdflib.URIRef("http://schema.org/version")))


def test_every_document_carries_signposting_and_a_linkset(two_releases):
    base, _first, second = two_releases
    with fetch(f"{base}/doc/{MONUMENT}", {"Accept": "text/html"}) as r:
        links = r.headers["Link"]
    assert f'<{iri(MONUMENT)}>; rel="cite-as"' in links
    assert 'rel="describedby"; type="text/turtle"' in links
    assert '<https://schema.org/AboutPage>; rel="type"' in links
    assert 'rel="license"' in links and 'rel="collection"' in links
    with fetch(f"{base}/releases/{second.id}/doc/{MONUMENT}.ttl") as r:
        assert f"<https://w3id.org/memorial-graph/releases/{second.id}/id/{MONUMENT}>; " \
               f'rel="cite-as"' in r.headers["Link"]
    with fetch(f"{base}/linkset/{MONUMENT}") as r:
        assert r.headers["Content-Type"].startswith("application/linkset+json")
        (entry,) = json.load(r)["linkset"]
    assert entry["anchor"].endswith(f"/doc/{MONUMENT}")
    assert entry["cite-as"] == [{"href": iri(MONUMENT)}]


def test_a_saved_query_result_is_citable_with_a_stable_url_and_a_result_hash(two_releases):
    base, first, _second = two_releases
    url = (f"{base}/releases/{first.id}/queries/monument-makers?"
           f"monument=https%3A%2F%2Fw3id.org%2Fmemorial-graph%2Fid%2F{MONUMENT}")
    with fetch(url + "&run=1", {"Accept": "text/html"}) as r:
        page = r.read().decode()
    digest = re.search(r"Result SHA-256 \(canonical, any format\): <code>([0-9a-f]{64})</code>", page)
    assert digest and first.id in page
    with fetch(url, {"Accept": "text/csv"}) as csv_answer, \
            fetch(url, {"Accept": "application/sparql-results+json"}) as json_answer:
        assert 'rel="cite-as"' in csv_answer.headers["Link"]
        assert csv_answer.headers["Repr-Digest"].startswith("sha-256=:")
        assert csv_answer.read() and json_answer.read()
    with fetch(url + "&run=1", {"Accept": "text/html"}) as again:   # stable: same hash again
        assert digest.group(1) in again.read().decode()
