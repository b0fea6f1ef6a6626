"""The front: the Flask app behind granian's Rust HTTP server, so that no client can stall it.

granian (hyper and tokio) owns the connections: keep-alive, many connections per worker, and a
header read timeout (a client that sends its headers slowly is disconnected; it never reaches
Python). This module is its RSGI application and hands each request to Flask:

- the body is read here, asynchronously, counted as it comes (chunked or not) and bounded in
  size (413, never truncated) and in time (408): a slow body holds no thread; one that ends
  before its Content-Length is refused (400);
- a request whose view answers from memory or the local store (documents, `/id/`, `/health`,
  static files: views marked `@inline`) runs right here on the event loop;
- every other request (queries above all) runs in a thread of a bounded pool, and when its HTTP
  client goes away the wait for its query ends, which stops the query;
- bodies stream out chunk by chunk, read from their iterator in a thread;
- a GET that a shared HTTP cache could answer is answered from the current release's
  `ResponseCache` (`response_cache.py`) before Flask is reached, and a shareable response is
  kept there for the next such request; whether a new release is current is looked at in a
  thread, not on the event loop.
"""

from __future__ import annotations

import asyncio
import functools
import io
import logging
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from flask import Flask
from werkzeug.exceptions import NotFound

from ..config import Config
from ..errors import BadRequest, PayloadTooLarge, RequestTimeout
from .query_jobs import ON_DISCONNECT
from .response_cache import ResponseCache, request_allows, request_lets_store, storable

log = logging.getLogger(__name__)
BODY_ERROR = "memorial_graph.body_error"
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
WHOLE = 1 << 20      # responses up to this size are sent in one piece


def inline(view: Callable) -> Callable:
    """Mark a view that answers from memory or the embedded store without waiting on anything
    else: the front runs it on the event loop, without a thread hop."""
    view.inline_safe = True
    return view


class Front:
    """An RSGI application around a Flask app."""

    def __init__(self, app: Flask, config: Config, threads: int = 32):
        self.app = app
        self.config = config
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="request")
        # With a remote store every view waits on the network: nothing runs inline then.
        self.inline = set() if config.store_url else \
            {name for name, view in app.view_functions.items()
             if getattr(view, "inline_safe", False) or name == "static"}
        self.map = app.url_map
        self.site = app.extensions["memorial_graph"]
        self._cache: tuple[object, ResponseCache] | None = None
        self._cache_lock = threading.Lock()
        self._looking = False           # a look for a new release is under way

    async def __rsgi__(self, scope, proto) -> None:
        if scope.proto != "http":
            return
        keep = None
        if scope.method == "GET" and self.config.response_cache_bytes:
            header = _header_reader(scope.headers)
            cache = self._release_cache()
            if cache is not None:
                target = _target(scope, header)
                if request_allows("GET", header):
                    hit = cache.get(target, scope.query_string, header)
                    if hit is not None:
                        proto.response_bytes(hit[0], hit[1], hit[2])
                        return
                if request_lets_store(header):
                    keep = (cache, header, target)
        environ = self._environ(scope)
        await self._read_body(scope, proto, environ)
        loop = asyncio.get_running_loop()
        if BODY_ERROR not in environ and self._is_inline(environ):
            status, headers, body, rest = self._call(environ)
            if rest is None:
                proto.response_bytes(status, headers, body)
                self._keep(keep, scope, status, headers, body)
                return
            await self._stream(proto, status, headers, body, rest, loop)
            return
        hooks: list[Callable[[], None]] = []
        environ[ON_DISCONNECT] = hooks.append
        watcher = asyncio.ensure_future(proto.client_disconnect())

        def gone(_future) -> None:
            if not _future.cancelled():
                for hook in hooks:
                    hook()

        watcher.add_done_callback(gone)
        try:
            status, headers, body, rest = await loop.run_in_executor(self.pool, self._call,
                                                                     environ)
            if BODY_ERROR in environ:
                headers.append(("Connection", "close"))
            if rest is None:
                proto.response_bytes(status, headers, body)
                self._keep(keep, scope, status, headers, body)
            else:
                await self._stream(proto, status, headers, body, rest, loop)
        finally:
            watcher.cancel()

    # ---- the shared cache
    def _release_cache(self) -> ResponseCache | None:
        """The cache of the release being served now (a new release, a new cache). Looking
        at whether a new release is current (var/current, a remote store's marker: a network
        request) and opening it happen in a thread, never here on the event loop: until then
        the release being served answers."""
        snap = self.site.current()
        if snap is None:
            return None                 # nothing opened yet: Flask opens it, in a thread
        if self.site.due() and not self._looking:
            self._looking = True
            self.pool.submit(self._look)
        current = self._cache
        if current is None or current[0] is not snap:
            with self._cache_lock:
                current = self._cache
                if current is None or current[0] is not snap:
                    current = self._cache = (snap, ResponseCache(self.config.response_cache_bytes))
        return current[1]

    def _look(self) -> None:
        try:
            self.site.snapshot()
        except Exception:  # noqa: BLE001 - the next request that reaches Flask says why
            log.exception("could not look for a new release")
        finally:
            self._looking = False

    @staticmethod
    def _keep(keep, scope, status: int, headers, body: bytes) -> None:
        if keep is None:
            return
        varies = storable(status, headers)
        if varies is not None:
            cache, header, target = keep
            cache.put(target, scope.query_string, header, status, headers, body, varies)

    # ---- the request
    def _environ(self, scope) -> dict:
        server_name, _, server_port = scope.server.rpartition(":")
        remote, _, remote_port = scope.client.rpartition(":")
        environ = {
            "REQUEST_METHOD": scope.method,
            "SCRIPT_NAME": "",
            "PATH_INFO": scope.path.encode("utf-8", "surrogateescape").decode("latin-1"),
            "QUERY_STRING": scope.query_string,
            "SERVER_NAME": server_name,
            "SERVER_PORT": server_port,
            "SERVER_PROTOCOL": f"HTTP/{scope.http_version}",
            "REMOTE_ADDR": remote.strip("[]"),
            "REMOTE_PORT": remote_port,
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": scope.scheme,
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.input_terminated": True,
        }
        headers = scope.headers
        for key in set(headers.keys()):
            value = ", ".join(headers.get_all(key))
            name = key.upper().replace("-", "_")
            if name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                environ[name] = value
            else:
                environ["HTTP_" + name] = value
        return environ

    async def _read_body(self, scope, proto, environ: dict) -> None:
        """The whole body into `wsgi.input`, or a 413/408 for Flask to render."""
        limit = self.config.max_body_bytes
        declared = environ.get("CONTENT_LENGTH", "")
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        body = b""
        if scope.method in BODY_METHODS and (chunked or declared not in ("", "0")):
            if declared.isdigit() and int(declared) > limit:
                environ[BODY_ERROR] = PayloadTooLarge(_too_large(limit))
            else:
                parts, size = [], 0
                try:
                    async with asyncio.timeout(self.config.read_timeout):
                        async for chunk in proto:
                            size += len(chunk)
                            if size > limit:
                                environ[BODY_ERROR] = PayloadTooLarge(_too_large(limit))
                                break
                            parts.append(chunk)
                except TimeoutError:
                    environ[BODY_ERROR] = RequestTimeout(
                        f"the request body did not arrive within "
                        f"{self.config.read_timeout:g} s")
                # granian ends the body early, without an error, when the client stops
                # sending: a shortened body is never passed on as the whole one.
                if BODY_ERROR not in environ and declared.isdigit() and size != int(declared):
                    environ[BODY_ERROR] = BadRequest(
                        f"the request body ended after {size:,} of the {int(declared):,} "
                        f"bytes its Content-Length declared")
                body = b"".join(parts)
        if BODY_ERROR in environ:
            body = b""
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)

    def _is_inline(self, environ: dict) -> bool:
        if not self.inline:
            return False
        return self._inline_route(environ["REQUEST_METHOD"], environ["PATH_INFO"])

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one Front per worker, for its life
    def _inline_route(self, method: str, path: str) -> bool:
        """Whether the view for this method and path runs inline (routes match on them
        alone: no host or scheme rules), remembered for the most recent paths."""
        try:
            endpoint, _args = self.map.bind("localhost").match(path, method=method)
        except (NotFound, Exception):  # noqa: BLE001 - Flask answers it, in a thread
            return False
        return endpoint in self.inline

    def _call(self, environ: dict):
        """Run the WSGI app: status, headers, the body (or its first part) and the rest."""
        started: dict = {}

        def start_response(status: str, headers, exc_info=None):
            started["status"], started["headers"] = int(status[:3]), list(headers)

        result = self.app(environ, start_response)
        headers = started["headers"]
        length = next((v for k, v in headers if k.lower() == "content-length"), None)
        if length is not None and int(length) <= WHOLE:
            try:
                return started["status"], headers, b"".join(result), None
            finally:
                getattr(result, "close", lambda: None)()
        return started["status"], headers, b"", result

    async def _stream(self, proto, status, headers, first: bytes, rest, loop) -> None:
        transport = proto.response_stream(status, headers)
        iterator = iter(rest)
        done = object()
        try:
            if first:
                await transport.send_bytes(first)
            while True:
                chunk = await loop.run_in_executor(self.pool, next, iterator, done)
                if chunk is done:
                    break
                if chunk:
                    await transport.send_bytes(chunk)
        except Exception as exc:
            # granian ends the stream as if it were complete: a response that can fail once
            # it has begun must say its Content-Length (query answers do: query_client.py).
            log.warning("a response was cut short: %s", exc)
            raise
        finally:
            close = getattr(rest, "close", None)
            if close is not None:
                await loop.run_in_executor(self.pool, close)


def _header_reader(headers):
    """`header(name)`: a request header's value (repeated ones joined), or None."""
    def header(name: str) -> str | None:
        values = headers.get_all(name)
        return ", ".join(values) if values else None
    return header


def _target(scope, header) -> str:
    """The request's target as a cache keys it (RFC 9111, section 2): scheme, host and path,
    as Flask reads them (pages name their absolute URL on the host asked)."""
    return f"{scope.scheme}://{header('host') or scope.server}{scope.path}"


def _too_large(limit: int) -> str:
    return f"the request body is larger than this endpoint's limit of {limit:,} bytes"
