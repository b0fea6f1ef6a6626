"""Defect (issue 9): "Chunked bodies bypass the 1 MiB limit and are silently cut: `ASK {} ` +
1.5 MiB of spaces + `}` sent chunked answers 200 `true` — a truncated query was executed."

The front counts every body as it arrives, chunked or not, and refuses one over the limit
with 413; it never passes on a shortened body."""

from __future__ import annotations

import http.client
import urllib.parse

from tests.server import running_server


def _post_chunked(base: str, body: bytes) -> tuple[int, bytes]:
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    conn.putrequest("POST", "/sparql")
    conn.putheader("Content-Type", "application/sparql-query")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    try:
        for start in range(0, len(body), 65536):
            part = body[start:start + 65536]
            conn.send(f"{len(part):x}\r\n".encode() + part + b"\r\n")
        conn.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass                    # the server may stop reading once it has refused
    response = conn.getresponse()
    return response.status, response.read()


def test_a_chunked_body_over_the_limit_is_refused_not_cut(built):
    config, _ = built
    with running_server(config.project_dir) as base:
        status, body = _post_chunked(base, b"ASK {} " + b" " * (1536 * 1024) + b"}")
        assert status == 413, body
        assert b"limit" in body
        # Under the limit, chunked works and the whole body is the query.
        status, body = _post_chunked(base, b"ASK { " + b" " * 1000 + b"}")
        assert status == 200 and b"true" in body
