"""Plain HTTP/1.1 to the server on 127.0.0.1: exactly the method, path, headers and body given
(no client adds a Content-Type or follows a redirect behind our back)."""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from urllib.parse import urlencode


@dataclass
class Response:
    status: int
    content_type: str      # media type, lower case, without parameters
    body: bytes

    def text(self, limit: int = 300) -> str:
        message = self.body.decode("utf-8", "replace").strip().replace("\n", " ")
        return message if len(message) <= limit else message[:limit] + "..."


def request(port: int, method: str, path: str, headers: list[tuple[str, str]] | None = None,
            body: bytes | None = None, timeout: float = 90.0) -> Response:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for name, value in headers or []:
            conn.putheader(name, value)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        r = conn.getresponse()
        data = r.read()
        media = (r.getheader("Content-Type") or "").split(";", 1)[0].strip().lower()
        return Response(r.status, media, data)
    finally:
        conn.close()


def form(pairs: list[tuple[str, str]]) -> bytes:
    return urlencode(pairs).encode("ascii")
