"""Found in review: an answer larger than the 4 MiB sent in one piece streamed to the client
as the query process wrote it, and when it was cut short (the time limit or the result cap
reached, the process gone) the server meant to end the transfer without its final chunk. But
granian ends every stream it was given as complete: the client got `200` and a body that
merely stopped, a CSV, TSV or N-Triples answer that looked whole (the front only logged "a
response was cut short").

A large answer is read whole (memory, then a temporary file) before it is sent, with its
Content-Length; one cut short is an error response."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

from tests.server import running_server

BIG = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 200000"   # ~50 MB of JSON here


def _get(base: str, query: str, accept: str):
    request = urllib.request.Request(f"{base}/sparql?{urllib.parse.urlencode({'query': query})}",
                                     headers={"Accept": accept, "Cache-Control": "no-cache"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_an_answer_past_the_cap_is_refused_not_cut_short(config):
    with running_server(config.project_dir, "--max-result", "5") as base:
        status, _headers, body = _get(base, BIG, "text/csv")
        assert status == 413, (status, len(body), body[-80:])
        assert b"cap" in body


def test_a_large_answer_goes_whole_with_its_length(config):
    with running_server(config.project_dir, "--max-result", "64") as base:
        query = BIG.replace("200000", "60000")                  # ~6-15 MB: streamed
        status, headers, body = _get(base, query, "text/tab-separated-values")
        assert status == 200
        assert int(headers["Content-Length"]) == len(body) > 4 << 20
        assert body.count(b"\n") == 60001                       # the header line and every row
