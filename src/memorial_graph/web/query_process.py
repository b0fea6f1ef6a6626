"""Run a query in a child process so that a time limit can really end it.

pyoxigraph evaluates a query in Rust without returning to Python, so neither signals nor
threads can interrupt it. A child process can be killed. Each server worker keeps one helper
process (`Helper`), forked once and reused for query after query: a fork per request costs
more than most queries (about 10 ms against 1-3 ms). A helper that overruns the time limit,
or whose answer is abandoned, is killed by PID and replaced at the next request; `run` forks a
one-off child instead, when the helper is busy. The child writes a header frame
(status, headers) and then the body as length-prefixed chunks, ending with an empty chunk;
the parent answers in one piece when the whole body fits `buffer_bytes`, and streams
otherwise. A body that is cut short (time limit or size cap hit while streaming) ends the
HTTP response without its terminating chunk, so the client sees an incomplete transfer
rather than silently truncated results.
"""

from __future__ import annotations

import json
import logging
import os
import select
import signal
import struct
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..errors import PayloadTooLarge, QueryTimeout

log = logging.getLogger(__name__)
_LEN = struct.Struct(">I")
CHUNK = 64 * 1024


@dataclass
class Outcome:
    status: int
    headers: dict[str, str]
    body: bytes | None                      # the whole body, when it fit the buffer
    stream: Iterator[bytes] | None = None   # otherwise the rest, as it comes


class _ChunkWriter:
    """A file-like object for pyoxigraph serializers that frames what they write."""

    def __init__(self, fd: int):
        self.fd = fd
        self.pending = bytearray()

    def write(self, data) -> int:
        self.pending += data
        if len(self.pending) >= CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.pending:
            _write_all(self.fd, _LEN.pack(len(self.pending)) + bytes(self.pending))
            self.pending.clear()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class ClientGone(Exception):
    """The HTTP client closed its connection while its query was running."""


class _Reader:
    def __init__(self, fd: int, deadline: float | None, client=None):
        self.fd = fd
        self.deadline = deadline
        self.buf = bytearray()
        self.eof = False
        self.client = client   # the request's socket: if it closes, the query is abandoned

    def _fill(self, need: int) -> bool:
        while len(self.buf) < need:
            if self.deadline is None:           # a helper waiting for its next job
                remaining = None
            else:
                remaining = self.deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError
            watched = [self.fd] if self.client is None else [self.fd, self.client]
            ready, _, _ = select.select(watched, [], [], remaining)
            if not ready:
                raise TimeoutError
            if self.client is not None and self.client in ready:
                self._check_client()
                if self.fd not in ready:
                    continue
            data = os.read(self.fd, max(CHUNK, need - len(self.buf)))
            if not data:
                self.eof = True
                return False
            self.buf += data
        return True

    def _check_client(self) -> None:
        import socket

        try:
            data = self.client.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if data == b"":
            raise ClientGone
        self.client = None   # the client sent more (a pipelined request): stop watching

    def read_exact(self, n: int) -> bytes | None:
        if not self._fill(n):
            return None
        out = bytes(self.buf[:n])
        del self.buf[:n]
        return out

    def frame(self) -> bytes | None:
        """The next chunk; b"" for the end marker; None if the child died without one."""
        head = self.read_exact(_LEN.size)
        if head is None:
            return None
        (size,) = _LEN.unpack(head)
        if size == 0:
            return b""
        return self.read_exact(size)


def run(work: Callable[[_HeadFirstWriter], None], timeout: float,
        buffer_bytes: int, max_bytes: int, describe: str = "query") -> Outcome:
    """Fork and run `work(writer)` in the child; it calls `writer.prepare(status, headers)`
    and writes the body. Raises QueryTimeout if no answer is complete or under way in time."""
    rfd, wfd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(rfd)
        code = 0
        try:
            _child(work, wfd)
        except BaseException:  # noqa: BLE001 - the child must never return into the server
            code = 1
        finally:
            os._exit(code)
    os.close(wfd)

    def reap(kill: bool) -> None:       # _collect calls it exactly once
        _end(pid, kill)
        os.close(rfd)

    return _collect(_Reader(rfd, time.monotonic() + timeout), reap, timeout, buffer_bytes,
                    max_bytes, describe)


def _end(pid: int, kill: bool) -> None:
    """Reap a child we forked, killing it first (by PID) when `kill`."""
    if kill:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _collect(reader: _Reader, reap: Callable[[bool], None], timeout: float, buffer_bytes: int,
             max_bytes: int, describe: str) -> Outcome:
    """Read one framed answer; `reap(kill)` is called once, when it is complete or abandoned."""
    done = False

    def finish(kill: bool) -> None:
        nonlocal done
        if not done:
            done = True
            reap(kill)

    try:
        head = reader.frame()
        if not head:
            raise RuntimeError(f"the {describe} process ended without answering")
        meta = json.loads(head)
        body = bytearray()
        while len(body) < buffer_bytes:
            chunk = reader.frame()
            if chunk is None:
                raise RuntimeError(f"the {describe} process ended unexpectedly")
            if chunk == b"":
                finish(kill=False)
                return Outcome(meta["status"], meta["headers"], bytes(body))
            body += chunk
            if len(body) > max_bytes:
                raise PayloadTooLarge(f"the result is larger than this endpoint's cap of "
                                      f"{max_bytes:,} bytes; add a LIMIT or narrow the query")
    except TimeoutError:
        finish(kill=True)
        raise QueryTimeout(f"the {describe} ran longer than the {timeout:g} s time limit "
                           f"and was stopped; narrow it or add a LIMIT") from None
    except BaseException:     # ClientGone included: nobody is waiting for the answer
        finish(kill=True)
        raise

    def rest() -> Iterator[bytes]:
        sent = len(body)
        complete = False
        try:
            yield bytes(body)
            while True:
                chunk = reader.frame()
                if chunk == b"":
                    complete = True
                    return
                if chunk is None:
                    raise RuntimeError(f"the {describe} process ended before finishing")
                sent += len(chunk)
                if sent > max_bytes:
                    raise RuntimeError(f"result cap of {max_bytes:,} bytes reached; "
                                       f"response cut short")
                yield chunk
        except TimeoutError:
            log.warning("%s stopped at the %g s time limit while streaming", describe, timeout)
            raise RuntimeError(f"time limit of {timeout:g} s reached while streaming") from None
        finally:
            finish(kill=not complete)

    return Outcome(meta["status"], meta["headers"], None, rest())


class Helper:
    """A long-lived child process that answers jobs (JSON) with framed responses.

    `handler(job, writer)` runs in the child, as captured when it was forked, so it may close
    over the worker's open store; `key` names that state (a release), and a helper forked for
    another key is replaced.
    """

    def __init__(self) -> None:
        self.pid: int | None = None
        self.key: object = None
        self.jobs = -1      # the parent's end of the job pipe
        self.answers = -1   # the parent's end of the answer pipe
        self.busy = False

    def _spawn(self, key: object, handler: Callable[[dict, _HeadFirstWriter], None],
               client=None) -> None:
        job_r, job_w = os.pipe()
        ans_r, ans_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            code = 0
            try:
                os.close(job_w)
                os.close(ans_r)
                if client is not None:   # the connection belongs to the worker, not to us
                    os.close(client.fileno())
                _serve_jobs(handler, job_r, ans_w)
            except BaseException:  # noqa: BLE001 - the child must never return into the server
                code = 1
            finally:
                os._exit(code)
        os.close(job_r)
        os.close(ans_w)
        self.pid, self.key, self.jobs, self.answers = pid, key, job_w, ans_r

    def stop(self) -> None:
        if self.pid is None:
            return
        _end(self.pid, kill=True)
        for fd in (self.jobs, self.answers):
            try:
                os.close(fd)
            except OSError:
                pass
        self.pid, self.key, self.busy = None, None, False

    def run(self, key: object, handler, job: dict, timeout: float, buffer_bytes: int,
            max_bytes: int, describe: str = "query", client=None) -> Outcome:
        """Answer `job`; `client` (the request's socket, if known) closing kills the query."""
        if self.busy:   # an answer still streaming (threaded server): a one-off child
            return run(lambda writer: handler(job, writer), timeout, buffer_bytes, max_bytes,
                       describe)
        if self.pid is not None and self.key != key:
            self.stop()
        if self.pid is None:
            self._spawn(key, handler, client)
        try:
            data = json.dumps(job).encode()
            _write_all(self.jobs, _LEN.pack(len(data)) + data)
        except OSError:          # the helper died between jobs: start a fresh one, once
            self.stop()
            self._spawn(key, handler, client)
            _write_all(self.jobs, _LEN.pack(len(data)) + data)
        self.busy = True
        return _collect(_Reader(self.answers, time.monotonic() + timeout, client), self._done,
                        timeout, buffer_bytes, max_bytes, describe)

    def _done(self, kill: bool) -> None:
        if kill:
            self.stop()
        self.busy = False


def _serve_jobs(handler, job_r: int, ans_w: int) -> None:
    _default_signals()
    reader = _Reader(job_r, None)
    while True:
        head = reader.read_exact(_LEN.size)
        if head is None:
            return   # the server worker is gone
        (size,) = _LEN.unpack(head)
        job = json.loads(reader.read_exact(size) or b"{}")
        writer = _HeadFirstWriter(ans_w)
        try:
            handler(job, writer)
        except Exception as exc:  # noqa: BLE001 - answer with the error, keep serving
            if writer.reset():
                writer.prepare(500, {"Content-Type": "text/plain; charset=utf-8"})
                writer.write(f"the query failed: {exc}\n".encode())
            else:
                raise
        writer.finish()


def _default_signals() -> None:
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1):
        try:
            signal.signal(sig, signal.SIG_DFL)
        except (ValueError, OSError):
            pass


def _child(work, wfd: int) -> None:
    _default_signals()  # gunicorn's handlers must not run here
    writer = _HeadFirstWriter(wfd)
    work(writer)
    writer.finish()


class _HeadFirstWriter(_ChunkWriter):
    """Holds the body until the header frame is due.

    `work` calls `prepare(status, headers)` before writing a body. The header frame goes out
    with the first full chunk or at the end, so until then `work` may still change its mind
    (`reset`) and answer with an error instead: an error raised while the first 64 KiB of a
    result are produced still becomes a clean error response.
    """

    def __init__(self, fd: int):
        super().__init__(fd)
        self.head: tuple[int, dict[str, str]] | None = None
        self.sent_head = False

    def prepare(self, status: int, headers: dict[str, str]) -> None:
        self.head = (status, headers)

    def reset(self) -> bool:
        """Drop what was written, if nothing has left yet; True when that was possible."""
        if self.sent_head:
            return False
        self.pending.clear()
        return True

    def _send_head(self) -> None:
        status, headers = self.head or (200, {})
        head = json.dumps({"status": status, "headers": headers}).encode()
        _write_all(self.fd, _LEN.pack(len(head)) + head)
        self.sent_head = True

    def flush(self) -> None:
        if not self.sent_head:
            self._send_head()
        super().flush()

    def finish(self) -> None:
        self.flush()
        _write_all(self.fd, _LEN.pack(0))
