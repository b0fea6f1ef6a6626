"""A web worker's side of the query service: send a job, get its answer.

`QueryClient.run` waits in the calling thread (the front's thread pool, Flask's test client,
`serve --get`). It sends the job with one end of a fresh socket pair, reads the query
process's answer from the other end, and follows the service's events on the control
connection: `queued` and `started` (a job that had to wait for a free process: its time limit
counts from the start; the service counts it for every job), `refused` (429, 503: with
Retry-After) or `failed` (time limit, memory limit, engine crash). A job started at once is
told nothing: its answer (whose head carries the client's fair-use state) is all that comes,
so the web worker wakes once for a small answer.
Closing the control connection abandons the job: the service kills its process. Control
connections are kept and reused between jobs.

An answer smaller than `buffer_bytes` comes back whole (`Outcome.body`); a larger one is read
whole into a spooled temporary file (memory, then disk) before it is sent (`Outcome.stream`,
`Outcome.length`): one cut short (time limit or size cap reached, the process gone) is an error
response, never a 200 whose body merely stops.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import select
import socket
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field

from ..errors import PayloadTooLarge
from .query_wire import CHUNK, LEN, MessageReader, send_message

log = logging.getLogger(__name__)
GRACE = 2.0      # seconds past the time limit before a worker stops waiting for the service
SPOOL_IN_MEMORY = 16 << 20   # bytes of a large answer held in memory before it goes to a file
# How long a job may go unanswered, beyond its time limit, when the service has said nothing of
# it: the service may be busy a while (opening a new release from disk), but one that hangs
# must not hold the request for good.
UNHEARD = 60.0


@dataclass
class Outcome:
    status: int
    headers: dict[str, str]
    body: bytes | None                                   # the whole body, when it fit
    stream: Iterator[bytes] | AsyncIterator[bytes] | None = None   # otherwise the rest
    fair_use: dict = field(default_factory=dict)         # the client's budget at the start
    length: int | None = None                            # the streamed body's whole length


class _Capped(RuntimeError):
    """A streamed answer went past the result cap."""


class ClientGone(Exception):
    """The HTTP client closed its connection while its query was running or waiting."""


def _error(status: int, message: str, event: dict | None = None) -> Outcome:
    headers = {"Content-Type": "text/plain; charset=utf-8", "X-Error": "1"}
    if event and event.get("retry_after"):
        headers["Retry-After"] = str(event["retry_after"])
    return Outcome(status, headers, (message + "\n").encode(),
                   fair_use=(event or {}).get("fair_use") or {})


class _Frames:
    """Length-prefixed frames out of the bytes of a data socket."""

    def __init__(self) -> None:
        self.buf = bytearray()

    def pop(self) -> bytes | None:
        if len(self.buf) < LEN.size:
            return None
        (size,) = LEN.unpack_from(self.buf)
        if len(self.buf) < LEN.size + size:
            return None
        out = bytes(self.buf[LEN.size:LEN.size + size])
        del self.buf[:LEN.size + size]
        return out


WAIT = object()      # what the exchange yields when it needs more from its sockets


class _Job:
    """One exchange, free of I/O: the drivers below feed it what arrives and it says, as a
    generator, when it needs to wait and how the job ended."""

    ids = itertools.count(1)

    def __init__(self, client: QueryClient, job: dict, who: str):
        self.client = client
        self.id = next(self.ids)
        message = {"op": "run", "id": self.id, "client": who, "job": job}
        self.data, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self.conn = client.take()
            try:
                send_message(self.conn, message, theirs.fileno())
            except OSError:               # a kept connection the service dropped: a new one
                self.conn.close()
                self.conn = client.connect()
                send_message(self.conn, message, theirs.fileno())
        except BaseException:
            self.data.close()
            raise
        finally:
            theirs.close()
        self.reader = MessageReader(self.conn)
        self.frames = _Frames()
        # When the job started, as far as this side's backstop is concerned: when the service
        # says so after a wait (`started`). Until then the service itself enforces the time
        # limit (from when it starts the job, and tells `failed`), and a service that dies
        # closes the data socket: counting from now gave up on a job the service had not yet
        # read (busy opening a release) before it ran at all. A service that says nothing
        # for `unheard` seconds past the time limit is given up on (`_unheard_until`).
        self.started: float | None = None
        self.sent = time.monotonic()
        self.queued = False
        self.event: dict | None = None        # refused / failed
        self.fair_use: dict = {}
        self.data_eof: float | None = None    # when the data socket closed

    def on_messages(self, messages: list[dict]) -> None:
        for message in messages:
            if message.get("id") != self.id:
                continue                      # about an earlier job on this connection
            if message["event"] == "queued":
                self.started, self.queued = None, True
            elif message["event"] == "started":
                self.started = time.monotonic()
            else:
                self.event = message
            self.fair_use = message.get("fair_use") or self.fair_use

    def on_data(self, data: bytes) -> None:
        if data:
            self.frames.buf += data
        elif self.data_eof is None:
            self.data_eof = time.monotonic()

    def deadline(self, timeout: float) -> float | None:
        ends = [t for t in (self.started and self.started + timeout + GRACE,
                            self.data_eof and self.data_eof + GRACE,
                            self._unheard_until(timeout)) if t]
        return min(ends) if ends else None

    def _unheard_until(self, timeout: float) -> float | None:
        """The backstop for a job the service has said nothing of (not `queued`, not
        `started`): it counts the time limit itself, from when the job starts."""
        if self.started is None and not self.queued:
            return self.sent + timeout + GRACE + self.client.unheard
        return None

    def failure(self, timeout: float) -> Outcome | None:
        """How the job ended, if it ended without (the rest of) an answer."""
        now = time.monotonic()
        if self.data_eof is not None:     # nothing more will come: the service says why
            if self.event is not None:
                return _error(self.event["status"], self.event["message"], self.event)
            if self.reader.eof:
                return _error(500, "the query service went away")
            if now > self.data_eof + GRACE:
                return _error(500, "the query process ended without finishing its answer")
        if self.started is not None and now > self.started + timeout + GRACE:
            return _error(503, f"the query ran longer than the {timeout:g} s time limit and "
                               f"was stopped; narrow it or add a LIMIT")
        unheard = self._unheard_until(timeout)
        if unheard is not None and now > unheard:
            return _error(503, f"the query service did not answer within "
                               f"{timeout + GRACE + self.client.unheard:g} s; try again later",
                          {"retry_after": 10})
        return None

    def frame(self, timeout: float):
        """Generator: the next frame (None if the job ended without it), yielding WAIT."""
        while True:
            frame = self.frames.pop()
            if frame is not None:
                return frame
            if self.failure(timeout) is not None:
                return None
            yield WAIT

    def collect(self, timeout: float, buffer_bytes: int, max_bytes: int):
        """Generator: the head and the body up to `buffer_bytes`, as an Outcome whose stream
        (if any) the caller completes with `rest`; yields WAIT."""
        head = yield from self.frame(timeout)
        if head is None:
            return self.failure(timeout)
        head = json.loads(head)
        self.fair_use = head.get("fair_use") or self.fair_use
        body = bytearray()
        while True:
            chunk = yield from self.frame(timeout)
            if chunk is None:
                return self.failure(timeout)
            if chunk == b"":
                return Outcome(head["status"], head["headers"], bytes(body),
                               fair_use=self.fair_use)
            body += chunk
            if len(body) > max_bytes:
                raise PayloadTooLarge(_too_large(max_bytes))
            if len(body) >= buffer_bytes:
                return Outcome(head["status"], head["headers"], None, bytes(body),
                               self.fair_use)

    def rest(self, timeout: float, sent: int, max_bytes: int):
        """Generator: the remaining chunks (bytes) of a streamed answer, and WAIT."""
        while True:
            chunk = yield from self.frame(timeout)
            if chunk == b"":
                return
            if chunk is None:
                failed = self.failure(timeout)
                reason = failed.body.decode().strip() if failed else "the query process ended"
                log.warning("a streamed answer was cut short: %s", reason)
                raise RuntimeError(f"response cut short: {reason}")
            sent += len(chunk)
            if sent > max_bytes:
                raise _Capped(f"result cap of {max_bytes:,} bytes reached")
            yield chunk

    def close(self, reuse: bool) -> None:
        self.data.close()
        if reuse and not self.reader.eof and self.event is None:
            self.conn.setblocking(True)
            self.client.give_back(self.conn)
        else:
            self.conn.close()


class QueryClient:
    """The query service as a web worker sees it. `start` starts a service of our own the
    first time one is needed, when none was started for us (Flask's test client, --get)."""

    def __init__(self, socket_path: str | None = None,
                 start: Callable[[], str] | None = None):
        self.socket_path = socket_path
        self._start = start
        self.unheard = UNHEARD
        self._idle: list[socket.socket] = []
        self._lock = threading.Lock()
        self._pid = os.getpid()

    def connect(self) -> socket.socket:
        with self._lock:
            if self.socket_path is None:
                if self._start is None:
                    raise RuntimeError("no query service")
                self.socket_path = self._start()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(self.socket_path)
        return sock

    def take(self) -> socket.socket:
        with self._lock:
            if self._pid != os.getpid():         # forked since: those are our parent's
                self._idle, self._pid = [], os.getpid()
            if self._idle:
                return self._idle.pop()
        return self.connect()

    def give_back(self, sock: socket.socket) -> None:
        with self._lock:
            if len(self._idle) < 64:
                self._idle.append(sock)
                return
        sock.close()

    # ---- blocking
    def run(self, job: dict, who: str, timeout: float, buffer_bytes: int, max_bytes: int,
            on_cancel: Callable[[Callable[[], None]], None] | None = None) -> Outcome:
        """Run `job` for client `who`; `on_cancel(stop)` registers what another thread calls
        when the HTTP client goes away: the wait then ends with ClientGone."""
        exchange = _Job(self, job, who)
        cancelled = threading.Event()
        if on_cancel is not None:
            def stop() -> None:
                cancelled.set()
                for sock in (exchange.conn, exchange.data):
                    try:
                        sock.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
            on_cancel(stop)

        def pump() -> None:
            deadline = exchange.deadline(timeout)
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            watched = [s for s, open_ in ((exchange.conn, not exchange.reader.eof),
                                          (exchange.data, exchange.data_eof is None)) if open_]
            ready, _, _ = select.select(watched, [], [], wait)
            if cancelled.is_set():
                raise ClientGone
            if exchange.conn in ready:
                exchange.on_messages(exchange.reader.feed())
            if exchange.data in ready:
                exchange.on_data(exchange.data.recv(4 * CHUNK))

        try:
            steps = exchange.collect(timeout, buffer_bytes, max_bytes)
            while True:
                try:
                    next(steps)                 # collect only ever waits
                except StopIteration as done:
                    outcome = done.value
                    break
                pump()
        except BaseException:
            exchange.close(reuse=False)
            raise
        if outcome.stream is None:
            exchange.close(reuse=exchange.event is None and "X-Error" not in outcome.headers)
            return outcome
        # A large answer is read whole before any of it is sent: one cut short (time limit,
        # size cap, a process that died) then gets an error response, not a 200 whose body
        # merely stops (the HTTP server ends every stream as if complete), and the rest goes
        # with its Content-Length.
        spool = tempfile.SpooledTemporaryFile(SPOOL_IN_MEMORY)   # noqa: SIM115 - closed below
        whole = False
        try:
            spool.write(outcome.stream)
            for step in exchange.rest(timeout, len(outcome.stream), max_bytes):
                if step is WAIT:
                    pump()
                else:
                    spool.write(step)
            whole = True
        except _Capped:
            return _error(413, _too_large(max_bytes), exchange.event)
        except RuntimeError:
            return exchange.failure(timeout) or _error(500, "the query process ended without "
                                                            "finishing its answer")
        finally:
            exchange.close(reuse=whole)
            if not whole:
                spool.close()
        outcome.length = spool.tell()
        spool.seek(0)
        outcome.stream = _chunks(spool)
        return outcome


def _chunks(spool) -> Iterator[bytes]:
    try:
        while chunk := spool.read(CHUNK):
            yield chunk
    finally:
        spool.close()


def _too_large(max_bytes: int) -> str:
    return (f"the result is larger than this endpoint's cap of {max_bytes:,} bytes; add a "
            f"LIMIT or narrow the query")
