"""Plain HTTP/1.1 to the server on 127.0.0.1: exactly the method, path, headers and body given
(no client adds a Content-Type or follows a redirect behind our back)."""

from __future__ import annotations

import http.client
import time
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
            body: bytes | None = None, timeout: float = 90.0, retries: int = 20) -> Response:
    """One request; a 429 or 503 with Retry-After (the endpoint's fair use and its full
    queue) is waited out and sent again, as a well-behaved client does."""
    for _attempt in range(retries):
        response, retry_after = _once(port, method, path, headers, body, timeout)
        if response.status not in (429, 503) or retry_after is None:
            return response
        time.sleep(min(retry_after, 5.0))
    return response


def _once(port: int, method: str, path: str, headers: list[tuple[str, str]] | None,
          body: bytes | None, timeout: float) -> tuple[Response, float | None]:
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
        retry_after = r.getheader("Retry-After")
        return Response(r.status, media, data), \
            float(retry_after) if retry_after and retry_after.isdigit() else None
    finally:
        conn.close()


def form(pairs: list[tuple[str, str]]) -> bytes:
    return urlencode(pairs).encode("ascii")
