"""Issue 12, item 5: 'the VoID page is a raw triple table with the subject on every row.' In a
browser /void is a dataset card: its counts (triples, records by kind, claims, sources), where
to query and download it (with sizes and formats), its licence and release; machines still get
the same VoID."""

from __future__ import annotations

import re

import rdflib

from memorial_graph.queries import load
from tests.issues.conftest import text

VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")


def card(client) -> str:
    r = client.get("/void", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.mimetype == "text/html"
    return r.get_data(as_text=True)


def description(client) -> rdflib.Graph:
    r = client.get("/void", headers={"Accept": "text/turtle"})
    return rdflib.Graph().parse(data=r.data, format="turtle")


def test_the_page_is_not_a_triple_table(client):
    html = card(client)
    assert '<th scope="col">Subject</th>' not in html
    assert "void#dataset" not in text(html)       # no row names the dataset node


def kinds(page: str, title: str) -> list[str]:
    found = re.search(r"<h3>" + title + r'</h3>\s*<ul class="kinds">(.*?)</ul>', page, re.S)
    assert found, title
    return [text(li) for li in re.findall(r"<li>(.*?)</li>", found.group(1))]


def test_the_card_counts_what_the_description_counts(client, store):
    page = card(client)
    html = text(page)
    graph = description(client)
    triples = int(next(graph.objects(None, VOID.triples)))
    assert f"{triples:,} triples" in html
    claims = int(store.select(load("count-claims"))[0]["n"].value)
    assert f"{claims:,} claims" in html
    assert "2 sources" in html
    assert "2 monument" in kinds(page, "Records") and "5 person" in kinds(page, "Records")
    assert kinds(page, "Sources") == ["1 article", "1 web page"]


def test_the_card_links_the_endpoint_the_dumps_and_the_licence(client, release):
    page = card(client)
    assert '<a href="/sparql">' in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in page
    for name in ("dataset.nq.gz", "dataset.trig.gz"):
        size = release.artifact(name).stat().st_size
        row = re.search(r'<tr><td><a href="/dumps/' + re.escape(name) + r'">.*?</tr>', page, re.S)
        assert row, name
        assert f"{size:,} bytes" in text(row.group(0))
        assert release.checksums[name] in row.group(0)
    assert release.id in text(page)


def test_machines_still_get_the_vo_id(client):
    graph = description(client)
    datasets = list(graph.subjects(rdflib.RDF.type, VOID.Dataset))
    assert len(datasets) == 1
    assert (datasets[0], VOID.sparqlEndpoint, None) in graph
    assert len(list(graph.objects(datasets[0], DCAT.distribution))) == 2
