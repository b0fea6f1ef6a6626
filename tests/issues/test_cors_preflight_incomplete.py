"""Issue 10, item 3: "CORS preflight answers no `Access-Control-Allow-Methods`/`-Headers`: a
browser on another origin cannot POST `application/sparql-query` or send `If-None-Match`.
Answer preflights for every route (methods, the request headers clients send, `Max-Age`)."

A real Chromium loads a page from a second local HTTP server (another origin) whose script
calls the real server with `fetch`, requests that need a preflight."""

from __future__ import annotations

import shutil
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import MONUMENT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ROUTES = ["/", "/sparql", f"/id/{MONUMENT}", f"/doc/{MONUMENT}", "/void", "/ontology",
          "/queries/", "/queries/claims-per-source", "/dumps/", "/dumps/SHA256SUMS",
          "/sitemap.xml", "/robots.txt", "/index/people", "/query", "/health"]


class _Page(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the http.server protocol
        body = b"<!doctype html><title>another origin</title><p>elsewhere</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def elsewhere():
    """A page on another origin (another port of 127.0.0.1)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def page(elsewhere):
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page()
        page.goto(elsewhere + "/")
        yield page
        browser.close()


def test_direct_post_of_a_query_from_another_origin(live, page):
    result = page.evaluate("""async (url) => {
        const r = await fetch(url, {method: "POST", body: "ASK { ?s ?p ?o }",
            headers: {"Content-Type": "application/sparql-query",
                      "Accept": "application/sparql-results+json"}});
        return {status: r.status, body: await r.json(),
                timeout: r.headers.get("X-Query-Timeout")};
    }""", f"{live}/sparql")
    assert result["status"] == 200 and result["body"]["boolean"] is True
    assert result["timeout"] is not None


def test_conditional_get_from_another_origin(live, page):
    result = page.evaluate("""async (url) => {
        const first = await fetch(url, {headers: {"Accept": "text/turtle"}});
        const etag = first.headers.get("ETag");
        await first.text();
        const again = await fetch(url, {headers: {"Accept": "text/turtle", "If-None-Match": etag},
                                        cache: "no-store"});
        return {first: first.status, etag: etag, again: again.status,
                digest: first.headers.get("Repr-Digest")};
    }""", f"{live}/doc/{MONUMENT}")
    assert result["first"] == 200 and result["etag"]
    assert result["again"] == 304
    assert result["digest"].startswith("sha-256=:")


@pytest.mark.parametrize("route", ROUTES)
def test_every_route_answers_a_preflight(live, page, route):
    result = page.evaluate("""async (url) => {
        try {
            const r = await fetch(url, {headers: {"If-None-Match": '"nothing"',
                                                  "Cache-Control": "no-cache"}});
            return {ok: true, status: r.status};
        } catch (e) { return {ok: false, error: String(e)}; }
    }""", live + route)
    assert result["ok"], result
    assert result["status"] in (200, 303, 304), result


@pytest.mark.parametrize("route", ROUTES)
def test_preflight_headers(live, route):
    request = urllib.request.Request(live + route, method="OPTIONS", headers={
        "Origin": "http://elsewhere.example", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "content-type, if-none-match"})
    with urllib.request.urlopen(request, timeout=20) as r:
        assert 200 <= r.status < 300
        headers = r.headers
    assert headers["Access-Control-Allow-Origin"] == "*"
    methods = {m.strip() for m in headers["Access-Control-Allow-Methods"].split(",")}
    assert {"GET", "HEAD"} <= methods
    if route == "/sparql":
        assert "POST" in methods
    allowed = {h.strip().lower() for h in headers["Access-Control-Allow-Headers"].split(",")}
    assert {"content-type", "if-none-match", "accept", "accept-language"} <= allowed
    assert int(headers["Access-Control-Max-Age"]) >= 600
