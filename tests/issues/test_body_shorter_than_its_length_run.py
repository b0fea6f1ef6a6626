"""Defect: a request body that ended before its Content-Length was passed on as if whole. A
client whose upload was cut (it declared 40 bytes, sent `ASK {}` and stopped sending) was
answered `200` with the answer to `ASK {}`: a shortened query was run, as if the client had
asked it. The front never passes on a body other than the one declared: one that ends early
is refused (400)."""

from __future__ import annotations

import socket
import urllib.parse


def _post_cut(base: str, declared: int, sent: bytes) -> bytes:
    url = urllib.parse.urlparse(base)
    with socket.create_connection((url.hostname, url.port), timeout=30) as conn:
        conn.sendall(b"POST /sparql HTTP/1.1\r\nHost: localhost\r\n"
                     b"Accept: application/sparql-results+json\r\n"
                     b"Content-Type: application/sparql-query\r\n"
                     b"Content-Length: %d\r\n\r\n" % declared + sent)
        conn.shutdown(socket.SHUT_WR)          # the upload ends here
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    return answer


def test_a_body_shorter_than_its_content_length_is_not_run(live):
    answer = _post_cut(live, 40, b"ASK {}")
    assert b"true" not in answer
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
