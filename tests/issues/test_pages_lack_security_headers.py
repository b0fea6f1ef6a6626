"""Defect (issue 9): "Security headers. No Content-Security-Policy or frame protection on any
page, and HTML results render `<a href="javascript:…">` for an IRI a query BINDs."

Every page carries a CSP without inline script, frame protection and a Referrer-Policy, and an
HTML result links only http(s) IRIs (a `javascript:` IRI is shown as text)."""

from __future__ import annotations

import urllib.parse
import urllib.request

from tests.conftest import MONUMENT
from tests.server import running_server


def test_every_page_has_security_headers_and_results_link_only_http(built):
    config, _ = built
    with running_server(config.project_dir) as base:
        for path in ("/", f"/doc/{MONUMENT}.html", "/query", "/queries/", "/no-such-page"):
            request = urllib.request.Request(base + path, headers={"Accept": "text/html"})
            try:
                response = urllib.request.urlopen(request, timeout=10)
            except urllib.error.HTTPError as exc:
                response = exc
            csp = response.headers["Content-Security-Policy"]
            assert "script-src 'self'" in csp and "unsafe-inline" not in csp
            assert "frame-ancestors 'none'" in csp
            assert response.headers["X-Frame-Options"] == "DENY"
            assert response.headers["Referrer-Policy"]
            assert "<script>" not in response.read().decode()

        query = ('SELECT ?x ?y { BIND(<javascript:alert(document.domain)> AS ?x) '
                 'BIND(<https://example.org/ok> AS ?y) }')
        url = f"{base}/sparql?" + urllib.parse.urlencode({"query": query, "format": "html"})
        page = urllib.request.urlopen(url, timeout=10).read().decode()
        assert "javascript:alert(document.domain)" in page          # shown as text
        assert 'href="javascript:' not in page
        assert 'href="https://example.org/ok"' in page
