"""Issue 10, item 1: "FROM / FROM NAMED are ignored. `SELECT (COUNT(*) AS ?n) FROM <…/graph/meta>
{ ?s ?p ?o }` → 2,437 (the whole store); `FROM <http://nonexistent.example/g>` → 2,437 instead
of 0 (`store.py` always sets `use_default_graph_as_union`). Same in the CLI. A
`default-graph-uri` in the URL of a form POST is ignored."

The dataset follows SPARQL 1.1 section 13 and the Protocol, section 2.1.4: the request's graphs
win, then the query's FROM / FROM NAMED, and only without either is the default graph the
union of all graphs. Checked on the real server over the embedded store, over a real
Oxigraph server (whose `--union-default-graph` would override FROM) and over a real Virtuoso
(which, sent `default-graph-uri` alone, named every stored graph: a named-graph query over
`default-graph-uri=…/meta` counted the whole collection), and in the CLI.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest

from tests.issues.conftest import COLLECTION, META, NOWHERE, graph_size

COUNT = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?s ?p ?o }}"
NAMED_COUNT = "SELECT (COUNT(*) AS ?n) {} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"


@pytest.fixture(scope="module")
def server(engine):
    return engine


def count(server: str, query: str, method: str = "GET", url_params: dict | None = None,
          **params) -> int:
    fields = [("query", query)] + [(k.replace("_", "-"), v) for k, vs in params.items()
                                   for v in vs]
    url = f"{server}/sparql"
    headers = {"Accept": "application/sparql-results+json"}
    if method == "GET":
        request = urllib.request.Request(url + "?" + urllib.parse.urlencode(fields), headers=headers)
    else:
        if url_params:
            url += "?" + urllib.parse.urlencode(url_params, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(),
                                         headers=headers)
    with urllib.request.urlopen(request, timeout=20) as r:
        return int(json.loads(r.read())["results"]["bindings"][0]["n"]["value"])


def test_from_names_exactly_the_default_graph(server, store):
    assert graph_size(store, META) > 0
    assert count(server, COUNT.format(f"FROM <{META}>")) == graph_size(store, META)
    assert count(server, COUNT.format(f"FROM <{NOWHERE}>")) == 0
    both = COUNT.format(f"FROM <{META}> FROM <{COLLECTION}>")
    assert count(server, both) == graph_size(store, META) + graph_size(store, COLLECTION)


def test_without_from_the_default_graph_is_the_union(server, store):
    whole = len(store)
    assert count(server, COUNT.format("")) == whole
    # The word FROM in a comment, a string or an IRI is not a FROM clause.
    assert count(server, "# FROM <http://nonexistent.example/g>\n" + COUNT.format("")) == whole
    tricky = ('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o '
              'FILTER (?o != "FROM <http://x/>" && ?p != <http://x/FROM>) }')
    assert count(server, tricky) > 0


def test_from_named_alone_leaves_the_default_graph_empty(server, store):
    assert count(server, COUNT.format(f"FROM NAMED <{META}>")) == 0
    assert count(server, NAMED_COUNT.format(f"FROM NAMED <{META}>")) == graph_size(store, META)


def test_protocol_graphs_make_the_whole_dataset(server, store):
    # default-graph-uri alone: no named graphs at all.
    assert count(server, COUNT.format(""), default_graph_uri=[META]) == graph_size(store, META)
    assert count(server, NAMED_COUNT.format(""), default_graph_uri=[META]) == 0
    # named-graph-uri alone: an empty default graph.
    assert count(server, COUNT.format(""), named_graph_uri=[META]) == 0
    assert count(server, NAMED_COUNT.format(""), named_graph_uri=[META]) == graph_size(store, META)
    # The request's dataset wins over the query's.
    assert count(server, COUNT.format(f"FROM <{COLLECTION}>"), default_graph_uri=[META]) == \
        graph_size(store, META)


def test_form_post_honours_default_graph_uri_in_the_url(server, store):
    assert count(server, COUNT.format(""), method="POST",
                 url_params={"default-graph-uri": META}) == graph_size(store, META)


def test_cli_query_honours_from(config, store):
    for clause, expected in ((f"FROM <{META}>", graph_size(store, META)),
                             (f"FROM <{NOWHERE}>", 0), ("", len(store))):
        out = subprocess.run(
            [sys.executable, "-m", "memorial_graph.cli", "--project", str(config.project_dir),
             "query", COUNT.format(clause), "--format", "csv"],
            capture_output=True, text=True, timeout=60, check=True).stdout
        assert out.splitlines()[1].strip() == str(expected)
