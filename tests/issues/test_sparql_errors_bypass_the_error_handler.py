"""Issue 8: "a typed MalformedQuery (not builtin SyntaxError); one error handler for every
route, /sparql included, rendering errors in the negotiated format (JSON too)"."""

from __future__ import annotations

import pytest

from memorial_graph.errors import MalformedQuery
from memorial_graph.web import create_app


@pytest.fixture(scope="module")
def client(config):
    return create_app(config.with_(query_timeout=5.0)).test_client()


def test_the_store_raises_a_typed_error_with_the_parser_s_position(store):
    with pytest.raises(MalformedQuery) as caught:
        store.select("SELECT ?x WHERE { ?x ?p }")
    assert caught.value.status == 400 and "1:" in caught.value.message


@pytest.mark.parametrize("accept,content_type", [
    ("application/json", "application/json"), ("text/html", "text/html"), ("*/*", "text/plain"),
])
def test_a_malformed_query_is_answered_in_the_negotiated_format(client, accept, content_type):
    response = client.get("/sparql", query_string={"query": "SELECT WHERE {"},
                          headers={"Accept": accept})
    assert response.status_code == 400
    assert response.mimetype == content_type
    body = response.get_json()["error"] if content_type == "application/json" else response.get_data(as_text=True)
    assert "malformed query" in body
