"""Defect: the front's shared cache kept a response by its path and query string alone, not by
the host it was asked of. A page names its own absolute URL (its canonical link, its
structured data) on the host the request came to, so a reader who asked for
`/doc/{id}` at `beta.example` after someone had asked at `alpha.example` was answered from
the cache with a page declaring `http://alpha.example/doc/{id}` canonical — and anyone
sending a forged `Host` could plant such pages for every reader of the worker.

An HTTP cache keys a response by its whole target URI (RFC 9111, section 2): scheme, host,
path and query."""

from __future__ import annotations

import http.client
import urllib.parse

import pytest

from tests.conftest import MONUMENT
from tests.server import running_server


@pytest.fixture(scope="module")
def server(config):
    # One web worker: the cache is per worker, so the second request meets the first's entry.
    with running_server(config.project_dir, workers=1) as base:
        yield base


def canonical(base: str, host: str) -> str:
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        conn.request("GET", f"/doc/{MONUMENT}", headers={"Host": host, "Accept": "text/html"})
        response = conn.getresponse()
        body = response.read().decode("utf-8")
    finally:
        conn.close()
    assert response.status == 200, body
    return body.split('rel="canonical" href="', 1)[1].split('"', 1)[0]


def test_a_page_names_the_host_it_was_asked_of(server):
    assert canonical(server, "alpha.example") == f"http://alpha.example/doc/{MONUMENT}"
    assert canonical(server, "beta.example") == f"http://beta.example/doc/{MONUMENT}"
    assert canonical(server, "alpha.example") == f"http://alpha.example/doc/{MONUMENT}"
