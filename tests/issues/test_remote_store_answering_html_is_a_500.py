"""Found in review: over a remote store (`serve --store URL`), an answer that was not SPARQL
results (a proxy's or a login page's HTML with status 200, the usual way such pages come) was
parsed as Turtle and handed on: a SELECT or ASK then failed inside the server with an
AttributeError or SyntaxError, and the client got a 500 ("internal error"), as did any page
reading the store.

It is the remote store's failure: a 502 that says what the store answered."""

from __future__ import annotations

import http.server
import threading

import pytest

from memorial_graph.errors import StoreError
from memorial_graph.store.remote import RemoteStore

PAGE = b"<!doctype html><html><body><h1>Please sign in</h1></body></html>"


class _Portal(http.server.BaseHTTPRequestHandler):
    """What stands in the store's place: a page, whatever is asked."""

    def _page(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    do_GET = do_POST = _page

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def portal():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Portal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("query", ["SELECT ?s WHERE { ?s ?p ?o } LIMIT 1",
                                   "PREFIX x: <http://x/> ASK { ?s ?p ?o }"])
def test_results_that_are_a_web_page_are_the_store_s_failure(portal, query):
    store = RemoteStore(portal)
    with pytest.raises(StoreError, match="text/html") as raised:
        store.query(query)
    assert raised.value.status == 502


def test_a_graph_that_is_a_web_page_is_the_store_s_failure(portal):
    store = RemoteStore(portal)
    with pytest.raises(StoreError) as raised:
        list(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))
    assert raised.value.status == 502
