"""Defect: a repeatable GET query's kept answer (`sparql.kept_answer`) was kept without the
base IRI its relative IRIs resolve against (the endpoint's URL, on the host asked). After
`SELECT ?x { BIND(<x> AS ?x) }` was asked at `alpha.example`, the same query asked at
`beta.example` answered `http://alpha.example/x`, even when it went past the shared cache
(here turned off) — the answer of another endpoint URL."""

from __future__ import annotations

import http.client
import json
import urllib.parse

import pytest

from tests.server import running_server

QUERY = "SELECT ?x WHERE { BIND(<x> AS ?x) }"


@pytest.fixture(scope="module")
def server(config):
    # One web worker (answers are kept per worker); the front's own cache off, so that only
    # the answers the app keeps are at play.
    with running_server(config.project_dir, "--response-cache", "0", workers=1) as base:
        yield base


def resolved(base: str, host: str) -> str:
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": QUERY}),
                     headers={"Host": host, "Accept": "application/sparql-results+json"})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    assert response.status == 200, body
    return json.loads(body)["results"]["bindings"][0]["x"]["value"]


def test_relative_iris_resolve_against_the_endpoint_asked(server):
    assert resolved(server, "alpha.example") == "http://alpha.example/x"
    assert resolved(server, "beta.example") == "http://beta.example/x"
