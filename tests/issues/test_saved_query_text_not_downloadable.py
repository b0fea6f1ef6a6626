"""Issue 10, item 16: 'Saved queries as an API the way grlc does it: `/queries/{name}.rq`
downloads the text'."""

from __future__ import annotations

from memorial_graph import saved_queries
from tests.conftest import ROOT

SAVED = saved_queries.load_all(ROOT / "queries")


def test_each_saved_query_downloads_as_sparql_text(client):
    for name, query in SAVED.items():
        r = client.get(f"/queries/{name}.rq")
        assert r.status_code == 200, name
        assert r.mimetype == "application/sparql-query"
        assert r.get_data(as_text=True) == query.text
        assert r.headers["ETag"] and f'filename="{name}.rq"' in r.headers["Content-Disposition"]


def test_the_saved_query_page_links_its_text(client):
    page = client.get("/queries/disagreements", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'href="/queries/disagreements.rq"' in page


def test_an_unknown_name_is_404(client):
    assert client.get("/queries/nonexistent.rq").status_code == 404
