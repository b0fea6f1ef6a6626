"""The front's shared cache: whole responses kept per release and web worker, served without
Flask, the way an HTTP cache in front of the app would serve them (RFC 9111), honouring Vary.

A release never changes, so a response the app marks as shareable (`Cache-Control: public`
with an ETag: documents, pages, saved-query answers, answers to repeatable GET queries) is the
same for every client that sends the same request headers the response varies on. The front
keeps such responses in the current release's snapshot (a new release starts with an empty
cache) and answers a repeated request from memory before Flask is reached.

What it follows from RFC 9111:

- only GET, only 200, only responses with `public` and an ETag, without `no-store`,
  `private`, `no-cache` or Set-Cookie, and small enough to be sent in one piece;
- a request that says `Cache-Control: no-cache` (or `max-age=0`, or `Pragma: no-cache`) goes
  to the app, and the app answers it afresh (a saved query runs again); so do conditional
  and range requests and requests with credentials: the app answers those (304s included);
- a response is chosen by the values of the request headers its `Vary` names, each variant
  kept apart (`Vary: *` is never kept);
- headers that describe one client's state (`RateLimit`: its remaining query budget) are not
  replayed to another; a kept answer costs no query time.

Bounded in bytes (least recently used first out).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

# Headers about the client that asked first, not about the representation.
PER_CLIENT = frozenset({"ratelimit"})
# Request headers that send a request past a shared cache to the origin.
PAST_THE_CACHE = ("authorization", "range", "if-none-match", "if-modified-since", "if-match",
                  "if-unmodified-since", "if-range")


def _directives(value: str | None) -> dict[str, str]:
    """A Cache-Control field's directives, lower-cased: name -> value ("" for none)."""
    out = {}
    for part in (value or "").lower().split(","):
        name, _, argument = part.partition("=")
        if name.strip():
            out[name.strip()] = argument.strip().strip('"')
    return out


def request_allows(method: str, header: Callable[[str], str | None]) -> bool:
    """Whether a request may be answered from the cache (`header(name)`: its value or None):
    a GET whose response could be kept, that does not ask for a fresh one."""
    if method != "GET" or not request_lets_store(header):
        return False
    directives = _directives(header("cache-control"))
    max_age = directives.get("max-age", "")
    if "no-cache" in directives or (max_age.isdigit() and int(max_age) == 0):
        return False
    return "no-cache" not in _directives(header("pragma"))


def request_lets_store(header: Callable[[str], str | None]) -> bool:
    """Whether the response to a request may be kept: not past the cache (credentials,
    conditions, ranges) and not `no-store`, which forbids a cache to keep any part of a
    request or of its response (RFC 9111, 5.2.1.5)."""
    if any(header(name) is not None for name in PAST_THE_CACHE):
        return False
    return "no-store" not in _directives(header("cache-control"))


def storable(status: int, headers: list[tuple[str, str]]) -> tuple[str, ...] | None:
    """The request headers a response varies on, lower-cased, if a shared cache may keep it;
    None if it may not."""
    if status != 200:
        return None
    control, vary, etag = "", [], False
    for name, value in headers:
        low = name.lower()
        if low == "cache-control":
            control += "," + value.lower()
        elif low == "vary":
            vary += [v.strip().lower() for v in value.split(",") if v.strip()]
        elif low == "etag":
            etag = True
        elif low == "set-cookie":
            return None
    directives = {d.strip().split("=", 1)[0] for d in control.split(",")}
    if not etag or "public" not in directives or directives & {"no-store", "private", "no-cache"}:
        return None
    if "*" in vary:
        return None
    return tuple(sorted(set(vary)))


class ResponseCache:
    """Responses of one release, by path, query string and the varied request headers."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        # (path, query) -> [the request headers its responses vary on, variants kept]
        self.vary: dict[tuple[str, str], list] = {}
        self.entries: OrderedDict[tuple, tuple[int, list, bytes, int]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, path: str, query: str, header: Callable[[str], str | None]):
        """(status, headers, body, cost) kept for this request, or None."""
        known = self.vary.get((path, query))
        if known is None:
            return None
        key = (path, query, tuple(header(name) for name in known[0]))
        with self.lock:
            hit = self.entries.get(key)
            if hit is not None:
                self.entries.move_to_end(key)
        return hit

    def put(self, path: str, query: str, header: Callable[[str], str | None], status: int,
            headers: list[tuple[str, str]], body: bytes, varies: tuple[str, ...]) -> None:
        kept = [(k, v) for k, v in headers if k.lower() not in PER_CLIENT]
        key = (path, query, tuple(header(name) for name in varies))
        # The request's values it is kept under count too: a client chooses their length.
        cost = len(body) + sum(len(k) + len(v) for k, v in kept) + 2 * (len(path) + len(query)) \
            + sum(len(value) for value in key[2] if value is not None)
        if cost > self.max_bytes // 8:
            return
        with self.lock:
            known = self.vary.get((path, query))
            if known is not None and known[0] != varies:     # the app varies on others now
                for old in [k for k in self.entries if k[:2] == (path, query)]:
                    self._drop(old)
            if key in self.entries:
                self._drop(key)
            known = self.vary.setdefault((path, query), [varies, 0])
            self.entries[key] = (status, kept, body, cost)
            known[1] += 1
            self.size += cost
            while self.size > self.max_bytes and self.entries:
                self._drop(next(iter(self.entries)))

    def _drop(self, key: tuple) -> None:
        self.size -= self.entries.pop(key)[3]
        known = self.vary[key[:2]]
        known[1] -= 1
        if known[1] <= 0:
            del self.vary[key[:2]]
