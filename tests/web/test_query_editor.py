"""The query page's editor through Flask's test client: its vocabulary, its assets, the form."""

from __future__ import annotations

import re

import pytest

from memorial_graph.web import create_app

MG = "https://w3id.org/memorial-graph/ontology#"


@pytest.fixture(scope="module")
def client(config):
    return create_app(config).test_client()


def test_the_vocabulary_is_the_collections_own(client):
    r = client.get("/query/vocabulary.json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    v = r.get_json()
    assert v["prefixes"]["skos"] == "http://www.w3.org/2004/02/skos/core#"
    assert v["prefixes"]["id"] == "https://w3id.org/memorial-graph/id/"
    assert MG + "Monument" in v["classes"] and MG + "Person" in v["classes"]
    assert "http://www.w3.org/2004/02/skos/core#prefLabel" in v["properties"]
    assert "http://www.cidoc-crm.org/cidoc-crm/P140_assigned_attribute_to" in v["properties"]
    assert MG + "Monument" not in v["properties"]
    assert v["local"] == [["https://w3id.org/memorial-graph/id/", "/id/"]]
    assert [d["format"] for d in v["downloads"]["select"]] == ["json", "xml", "csv", "tsv"]
    assert "turtle" in [d["format"] for d in v["downloads"]["graph"]]
    assert v["accept"] == {"select": "application/sparql-results+json", "graph": "text/turtle"}
    again = client.get("/query/vocabulary.json", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304


def test_the_editor_is_served_from_the_package_with_its_licences(client):
    page = client.get("/query").get_data(as_text=True)
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert "/static/editor/yasgui.min.js" in sources and "/static/query-editor.js" in sources
    assert all(s.startswith("/") for s in sources), sources      # nothing from another host
    assert client.get("/static/editor/yasgui.min.js").status_code == 200
    licences = client.get("/static/editor/LICENSES.txt").get_data(as_text=True)
    for package in ("@zazuko/yasgui@", "codemirror@", "jquery@", "datatables.net@"):
        assert package in licences


@pytest.mark.parametrize("path", ["/query", "/query?query=ASK%7B%7D", "/search?q=harayi"])
def test_the_pages_carry_no_inline_script_or_style(client, path):
    page = client.get(path).get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert not re.search(r"<style\b|\sstyle=", page)


def test_a_permalink_asks_the_page_to_run_its_query_and_an_example_does_not(client):
    permalink = client.get("/query?query=ASK%7B%7D").get_data(as_text=True)
    assert 'data-run="1"' in permalink and "ASK{}" in permalink
    example = client.get("/query?example=figures-by-source").get_data(as_text=True)
    assert "data-run" not in example and "mg:Count" in example


def test_the_plain_results_page_shows_short_iris_linked_to_their_pages(client):
    r = client.post("/sparql", data={"format": "html", "query":
                    "SELECT ?m WHERE { ?m <http://www.w3.org/2004/02/skos/core#altLabel> "
                    "'Ana harayı abidəsi'@az }"})
    body = r.get_data(as_text=True)
    assert '<a href="/doc/pfft2yk" title="https://w3id.org/memorial-graph/id/pfft2yk">id:pfft2yk</a>' in body
