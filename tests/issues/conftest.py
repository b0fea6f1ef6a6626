"""Shared by the regression tests: a test client over the session's built collection, one
real server over it, one over each store engine, the collection's graphs, and the pieces of
an entity page a reader looks at."""

from __future__ import annotations

import html
import re

import pytest

from memorial_graph.web import create_app
from tests.server import running_publisher, running_server

META = "https://w3id.org/memorial-graph/graph/meta"
COLLECTION = "https://w3id.org/memorial-graph/graph/collection"
NOWHERE = "http://nonexistent.example/g"     # a graph no store holds


@pytest.fixture(scope="session")
def live(built):
    """The base URL of a real `memorial-graph serve` over the session's release."""
    config, _release = built
    with running_server(config.project_dir) as base:
        yield base


@pytest.fixture(scope="module", params=["embedded", "oxigraph", "virtuoso"])
def engine(built, request):
    """The base URL of a real server over each store: its own, a real Oxigraph and a real
    Virtuoso the release was published to."""
    config, _release = built
    with running_publisher(config.project_dir, request.param) as base:
        yield base


def graph_size(store, graph: str) -> int:
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"].value)


@pytest.fixture(scope="module")
def client(config):
    return create_app(config).test_client()


def page(client, ident: str) -> str:
    response = client.get(f"/doc/{ident}.html")
    assert response.status_code == 200, response.data
    return response.get_data(as_text=True)


def group(page_html: str, label: str) -> str:
    """The HTML of one property's group of claims on an entity page ('number killed')."""
    found = re.search(r'<section class="group[^"]*" aria-label="' + re.escape(label) + r'">(.*?)</section>',
                      page_html, re.S)
    assert found, f"no group '{label}' on the page"
    return found.group(1)


def claim_block(page_html: str, ident: str) -> str:
    """The HTML of one claim's box on an entity page."""
    found = re.search(r'<div class="claim[^"]*" id="' + re.escape(ident) + r'">(.*?)\n    </div>',
                      page_html, re.S)
    assert found, f"no claim {ident} on the page"
    return found.group(1)


def text(fragment: str) -> str:
    """What a reader sees of an HTML fragment: tags dropped, entities decoded, spaces folded."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()
