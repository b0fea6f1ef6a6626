"""The query service: one process per server that owns a bounded pool of query processes.

Web workers never run queries. They send each job to this process over a Unix socket (see
`query_wire.py`), with the end of a socket pair on which the chosen query process writes the
answer straight back to them. The service:

- keeps `pool` query processes (`query_process.py`, default one per core), forked from itself
  so that a store loaded into memory before the fork is shared by all of them;
- admits a job if the client is within its fair use (`fair_use.py`: 429 otherwise), starts it
  on a free process, or queues it (at most `queue` jobs); with the queue full it refuses at
  once (503 with Retry-After);
- kills a process by PID when its query overruns the time limit, when its web worker hangs up
  (the HTTP client went away, or the worker died), or when it dies of the memory limit or an
  engine crash, tells the web worker which of these happened, and forks a replacement;
- charges each query's running time to its client;
- dies with the server (`PR_SET_PDEATHSIG`), and its query processes die with it.
"""

from __future__ import annotations

import atexit
import errno
import json
import logging
import math
import os
import selectors
import shutil
import signal
import socket
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..processes import die_with_parent
from . import query_process
from .fair_use import Ledger, Policy
from .query_process import Limits, default_signals
from .query_wire import MessageReader, send_message

log = logging.getLogger(__name__)

# make_handler() is called in the service before each fork: it returns the key of the
# release it serves (a new key makes the pool restart), the handler for query processes and,
# optionally, what to say of it (a dict written to STATE beside the socket, for /health).
HandlerFactory = Callable[[], tuple]
STATE = "state.json"


@dataclass(frozen=True)
class Settings:
    pool: int
    queue: int
    limits: Limits
    fair_use: Policy = field(default_factory=Policy)


@dataclass
class _Job:
    id: object
    conn: _Conn
    client: str
    message: dict
    fd: int
    queued: float
    started: float = 0.0
    proc: _Proc | None = None


@dataclass
class _Conn:
    sock: socket.socket
    reader: MessageReader
    job: _Job | None = None
    waiting: deque = field(default_factory=deque)   # (message, fd) sent before the job ended


@dataclass
class _Proc:
    pid: int
    ctl: socket.socket
    reader: MessageReader
    err: int
    key: object
    job: _Job | None = None
    tail: bytearray = field(default_factory=bytearray)
    line: bytearray = field(default_factory=bytearray)   # a line of stderr not yet ended
    doomed: str = ""            # why we killed it ("timeout", "cancelled"), if we did


class Service:
    def __init__(self, listener: socket.socket, settings: Settings, make_handler: HandlerFactory):
        self.listener = listener
        self.settings = settings
        self.make_handler = make_handler
        self.key, self.handler, state = self._made()
        self._say(state)
        self.ledger = Ledger(settings.fair_use)
        self.selector = selectors.DefaultSelector()
        self.procs: dict[int, _Proc] = {}
        self.queue: deque[_Job] = deque()
        self.conns: dict[int, _Conn] = {}
        self.checked = 0.0

    # ---- the loop
    def run(self) -> None:
        self.listener.setblocking(False)
        self.selector.register(self.listener, selectors.EVENT_READ, ("listen", None))
        for _ in range(self.settings.pool):
            self._spawn()
        last_prune = time.monotonic()
        while True:
            timeout = self._next_deadline()
            for key, _mask in self.selector.select(timeout):
                kind, obj = key.data
                if kind == "listen":
                    self._accept()
                elif kind == "conn":
                    self._on_conn(obj)
                elif kind == "ctl":
                    self._on_ctl(obj)
                elif kind == "err":
                    self._on_err(obj)
            now = time.monotonic()
            self._expire(now)
            if now - last_prune > 60:
                self.ledger.prune(now)
                last_prune = now

    def _made(self) -> tuple[object, Callable, dict | None]:
        key, handler, *state = self.make_handler()
        return key, handler, state[0] if state else None

    def _say(self, state: dict | None) -> None:
        """What the query processes now serve, beside the socket (replaced whole)."""
        if state is None:
            return
        path = Path(self.listener.getsockname()).with_name(STATE)
        tmp = path.with_name(STATE + ".tmp")
        try:
            tmp.write_text(json.dumps(state), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            log.warning("could not write %s: %s", path, exc)

    def _next_deadline(self) -> float | None:
        deadlines = [p.job.started + self.settings.limits.timeout for p in self.procs.values()
                     if p.job is not None and not p.doomed]
        if not deadlines:
            return None
        return max(0.0, min(deadlines) - time.monotonic())

    # ---- query processes
    def _refresh(self) -> None:
        """Follow a new release: idle processes are replaced now, busy ones when done."""
        now = time.monotonic()
        if now - self.checked < 1.0:
            return
        self.checked = now
        key, handler, state = self._made()
        if key == self.key:
            return
        self.key, self.handler = key, handler
        self._say(state)
        for proc in list(self.procs.values()):
            if proc.job is None:
                self._kill(proc, "release")

    def _spawn(self) -> _Proc:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        err_r, err_w = os.pipe()
        parent = os.getpid()
        def child() -> None:
            ours.close()
            os.close(err_r)
            os.dup2(err_w, 2)
            os.close(err_w)
            self._close_inherited()
            query_process.serve(theirs, self.handler, self.settings.limits, parent)

        pid = fork(child)
        theirs.close()
        os.close(err_w)
        os.set_blocking(err_r, False)
        proc = _Proc(pid, ours, MessageReader(ours), err_r, self.key)
        self.procs[pid] = proc
        self.selector.register(ours, selectors.EVENT_READ, ("ctl", proc))
        self.selector.register(err_r, selectors.EVENT_READ, ("err", proc))
        return proc

    def _close_inherited(self) -> None:
        """In a new query process: nothing of the service's but its own channel stays open,
        so that only the service and the web worker hold each connection and answer socket."""
        self.listener.close()
        for conn in self.conns.values():
            conn.sock.close()
            for _message, fd in conn.waiting:
                os.close(fd)
        for proc in self.procs.values():
            proc.ctl.close()
            os.close(proc.err)
        for job in self.queue:
            os.close(job.fd)
        self.selector.close()

    def _kill(self, proc: _Proc, why: str) -> None:
        if not proc.doomed:
            proc.doomed = why
            try:
                os.kill(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def _on_err(self, proc: _Proc) -> None:
        if proc.err < 0:
            return                              # reaped earlier in this round of events
        try:
            data = os.read(proc.err, 65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            if proc.err in self.selector.get_map():
                self.selector.unregister(proc.err)
            return
        proc.tail = (proc.tail + data)[-8192:]
        proc.line += data
        *lines, rest = proc.line.split(b"\n")
        proc.line = bytearray(rest[-8192:])
        for line in lines:
            print(f"[query process {proc.pid}] {line.decode('utf-8', 'replace')}",
                  file=sys.stderr, flush=True)

    def _on_ctl(self, proc: _Proc) -> None:
        if proc.pid not in self.procs:
            return
        for message in proc.reader.feed():
            if message.get("op") == "done" and proc.job is not None:
                self._finish(proc.job, time.monotonic())
                proc.job = None
                if proc.key != self.key:
                    self._kill(proc, "release")
                else:
                    self._next(proc)
        if proc.reader.eof:
            self._reap(proc)

    def _reap(self, proc: _Proc) -> None:
        self.selector.unregister(proc.ctl)
        proc.ctl.close()
        _, status = os.waitpid(proc.pid, 0)
        self._on_err(proc)                      # its last words
        if proc.err in self.selector.get_map():
            self.selector.unregister(proc.err)
        os.close(proc.err)
        proc.err = -1
        del self.procs[proc.pid]
        job = proc.job
        if job is not None:
            event = self._death_event(proc, status)
            if event is not None:
                self._tell(job.conn, {"id": job.id, **event})
            self._finish(job, time.monotonic())
            if event is not None and event.get("event") == "failed" and event["status"] == 500:
                print(f"the query engine died on this query:\n{job.message['job'].get('query')}",
                      file=sys.stderr, flush=True)
        self._next(self._spawn())

    def _death_event(self, proc: _Proc, status: int) -> dict | None:
        limits = self.settings.limits
        if proc.doomed == "timeout":
            return {"event": "failed", "status": 503, "reason": "timeout",
                    "message": f"the query ran longer than the {limits.timeout:g} s time limit "
                               f"and was stopped; narrow it or add a LIMIT"}
        if proc.doomed in ("cancelled", "release"):      # nobody is listening
            return None
        sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
        if b"memory allocation of" in proc.tail or sig == 0 and b"MemoryError" in proc.tail:
            return {"event": "failed", "status": 503, "reason": "memory",
                    "message": f"the query needed more than the "
                               f"{limits.memory_bytes / (1 << 30):g} GiB of memory one query "
                               f"may use here and was stopped; narrow it or add a LIMIT"}
        if sig == signal.SIGXCPU:
            return {"event": "failed", "status": 503, "reason": "timeout",
                    "message": f"the query used more CPU time than the {limits.timeout:g} s "
                               f"time limit and was stopped; narrow it or add a LIMIT"}
        what = signal.Signals(sig).name if sig else f"exit status {os.WEXITSTATUS(status)}"
        return {"event": "failed", "status": 500, "reason": "crash",
                "message": f"the query engine failed on this query (its process ended with "
                           f"{what}); the failure has been logged with the query"}

    # ---- web workers
    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            sock.setblocking(False)
            conn = _Conn(sock, MessageReader(sock))
            self.conns[sock.fileno()] = conn
            self.selector.register(sock, selectors.EVENT_READ, ("conn", conn))

    def _on_conn(self, conn: _Conn) -> None:
        try:
            messages = conn.reader.feed()
        except ValueError:
            messages, conn.reader.eof = [], True
        for message in messages:
            if message.get("op") == "run":
                fd = conn.reader.take_fd()
                if fd is None:
                    conn.reader.eof = True      # a protocol error: drop the connection
                    break
                if conn.job is not None:        # its answer is read, its process not done yet
                    conn.waiting.append((message, fd))
                else:
                    self._submit(conn, message, fd)
        if conn.reader.eof:
            self._hang_up(conn)

    def _hang_up(self, conn: _Conn) -> None:
        """The web worker closed the connection: its job (if any) is abandoned."""
        self.selector.unregister(conn.sock)
        del self.conns[conn.sock.fileno()]
        job = conn.job
        if job is not None:
            if job.proc is not None:
                self._kill(job.proc, "cancelled")
            else:
                self.queue.remove(job)
                os.close(job.fd)
                self._finish(job, time.monotonic())
        for _message, fd in conn.waiting:
            os.close(fd)
        conn.waiting.clear()
        conn.reader.close_fds()
        conn.sock.close()

    def _tell(self, conn: _Conn, event: dict) -> None:
        if conn.sock.fileno() < 0:
            return
        try:
            conn.sock.setblocking(True)
            send_message(conn.sock, event)
        except OSError:
            pass
        finally:
            if conn.sock.fileno() >= 0:
                conn.sock.setblocking(False)

    def _running_seconds(self, client: str, now: float) -> float:
        return sum(now - p.job.started for p in self.procs.values()
                   if p.job is not None and p.job.client == client and p.job.started)

    def _submit(self, conn: _Conn, message: dict, fd: int) -> None:
        now = time.monotonic()
        self._refresh()
        client = str(message.get("client", "unknown"))
        verdict = self.ledger.admit(client, now, self._running_seconds(client, now))
        fair = {"remaining": round(verdict.remaining, 1), "full_in": round(verdict.full_in)}
        if not verdict.admitted:
            os.close(fd)
            self._tell(conn, {"id": message.get("id"), "event": "refused", "status": 429,
                              "retry_after": verdict.retry_after, "fair_use": fair,
                              "message": f"too many queries: {verdict.reason}; retry in "
                                         f"{verdict.retry_after} s"})
            return
        job = _Job(message.get("id"), conn, client, message, fd, now)
        free = next((p for p in self.procs.values() if p.job is None and not p.doomed
                     and p.key == self.key), None)
        if free is None and len(self.queue) >= self.settings.queue:
            os.close(fd)
            self.ledger.finish(client, now, 0.0)
            self._tell(conn, {"id": job.id, "event": "refused", "status": 503,
                              "retry_after": self._retry_after(now), "fair_use": fair,
                              "message": f"the server is busy: {self.settings.pool} queries "
                                         f"are running and {len(self.queue)} are waiting, "
                                         f"the most it takes; retry shortly"})
            return
        conn.job = job
        job.message["fair_use"] = fair
        if free is None:
            # Told, so that the web worker's own backstop counts the time limit from the
            # `started` that follows (the service counts it from there too).
            self.queue.append(job)
            self._tell(conn, {"id": job.id, "event": "queued"})
        else:
            self._start(job, free)

    def _retry_after(self, now: float) -> int:
        ends = [p.job.started + self.settings.limits.timeout - now for p in self.procs.values()
                if p.job is not None]
        return max(1, math.ceil(min(ends))) if ends else 1

    def _start(self, job: _Job, proc: _Proc, queued: bool = False) -> None:
        job.proc, job.started = proc, time.monotonic()
        proc.job = job
        if queued:
            self._tell(job.conn, {"id": job.id, "event": "started"})
        try:
            proc.ctl.setblocking(True)
            # The client's fair-use state goes out with the answer's head (query_wire).
            send_message(proc.ctl, {"id": job.id, "job": job.message["job"],
                                    "fair_use": job.message.get("fair_use")}, job.fd)
        except OSError as exc:
            if exc.errno not in (errno.EPIPE, errno.ECONNRESET):
                raise
            self._kill(proc, "lost")           # reaped as a crash; the job fails with it
        finally:
            os.close(job.fd)
            job.fd = -1

    def _next(self, proc: _Proc) -> None:
        if proc.job is None and not proc.doomed and self.queue:
            self._start(self.queue.popleft(), proc, queued=True)

    def _finish(self, job: _Job, now: float) -> None:
        ran = now - job.started if job.started else 0.0
        self.ledger.finish(job.client, now, ran)
        conn = job.conn
        if conn.job is job:
            conn.job = None
            if conn.waiting and conn.sock.fileno() >= 0:
                self._submit(conn, *conn.waiting.popleft())

    def _expire(self, now: float) -> None:
        for proc in list(self.procs.values()):
            if proc.job is not None and not proc.doomed and \
                    now >= proc.job.started + self.settings.limits.timeout:
                self._kill(proc, "timeout")


@dataclass
class Handle:
    """The running service, as its starter sees it."""

    pid: int
    socket_path: str

    def stop(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def fork(child) -> int:
    """Fork; the child runs `child()` and exits (0, or 1 with its traceback on stderr): a
    forked child must never return into the code that forked it."""
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            child()
        except BaseException:  # noqa: BLE001 - see the docstring
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)
    return pid


def start(settings: Settings, make_handler: HandlerFactory) -> Handle:
    """Fork the service; it listens on a fresh Unix socket and dies with this process."""
    directory = Path(tempfile.mkdtemp(prefix="memorial-graph-queries-"))
    path = str(directory / "service.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    os.chmod(path, 0o600)
    listener.listen(256)
    parent = os.getpid()
    def service() -> None:
        die_with_parent(parent)
        default_signals()
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
        Service(listener, settings, make_handler).run()

    pid = fork(service)
    listener.close()
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    return Handle(pid, path)
