"""The wire between web workers, the query service and query processes.

Two kinds of stream carry length-prefixed frames (4-byte big-endian length, then the bytes):

- a **control** connection carries JSON messages, and a job message carries one file
  descriptor beside it (SCM_RIGHTS): the end of a socket pair on which the answer is to be
  written. Web worker -> service: `{"op": "run", ...}`; service -> web worker: `queued` and
  then `started` (for a job that had to wait), `refused` or `failed` events; service <->
  query process: the job (with the client's fair-use state) and `done`.
- a **data** socket pair, one per query, carries the answer straight from the query process
  to the web worker: a header frame (JSON: status, headers, the client's fair-use state), body
  chunks, and an empty frame at the end; an answer that fits in one chunk goes in one write.
  If the process dies, the web worker sees the data socket close without the empty frame
  and learns why from the service on its control connection.
"""

from __future__ import annotations

import json
import os
import socket
import struct
from collections import deque

LEN = struct.Struct(">I")
CHUNK = 64 * 1024
MAX_MESSAGE = 64 << 20      # a control message larger than this is a protocol error


def frame(data: bytes) -> bytes:
    return LEN.pack(len(data)) + data


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def send_message(sock: socket.socket, message: dict, fd: int | None = None) -> None:
    """One JSON message (and a file descriptor beside its first byte), blocking."""
    data = frame(json.dumps(message, separators=(",", ":")).encode())
    if fd is None:
        sock.sendall(data)
        return
    sent = socket.send_fds(sock, [data], [fd])
    if sent < len(data):
        sock.sendall(data[sent:])


class MessageReader:
    """Reads JSON messages and the file descriptors sent beside them from a stream socket.

    `feed()` reads what is there (or blocks, on a blocking socket) and returns the complete
    messages; `eof` says the peer closed. Descriptors arrive in order with the messages that
    carry them, so `take_fd()` after a job message returns that job's descriptor.
    """

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.buf = bytearray()
        self.fds: deque[int] = deque()
        self.messages: deque[dict] = deque()
        self.eof = False

    def feed(self) -> list[dict]:
        try:
            data, fds, _flags, _addr = socket.recv_fds(self.sock, 1 << 20, 4)
        except (BlockingIOError, InterruptedError):
            return []
        except OSError:
            data, fds = b"", []
        self.fds.extend(fds)
        if not data:
            self.eof = True
            return []
        self.buf += data
        out = []
        while len(self.buf) >= LEN.size:
            (size,) = LEN.unpack_from(self.buf)
            if size > MAX_MESSAGE:
                raise ValueError("control message too large")
            if len(self.buf) < LEN.size + size:
                break
            out.append(json.loads(bytes(self.buf[LEN.size:LEN.size + size])))
            del self.buf[:LEN.size + size]
        return out

    def next(self) -> dict | None:
        """The next message, reading (blocking) as needed; None when the peer has gone."""
        while not self.messages:
            if self.eof:
                return None
            self.messages.extend(self.feed())
        return self.messages.popleft()

    def take_fd(self) -> int | None:
        return self.fds.popleft() if self.fds else None

    def close_fds(self) -> None:
        while self.fds:
            os.close(self.fds.popleft())




class ChunkWriter:
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
            write_all(self.fd, frame(bytes(self.pending)))
            self.pending.clear()


class HeadFirstWriter(ChunkWriter):
    """Holds the body until the header frame is due.

    The job's handler calls `prepare(status, headers)` before writing a body. The header frame
    goes out with the first full chunk or at the end, so until then the handler may still
    change its mind (`reset`) and answer with an error instead: an error raised while the
    first 64 KiB of a result are produced still becomes a clean error response.
    """

    def __init__(self, fd: int, fair_use: dict | None = None):
        super().__init__(fd)
        self.head: tuple[int, dict[str, str]] | None = None
        self.sent_head = False
        self.fair_use = fair_use or {}

    def prepare(self, status: int, headers: dict[str, str]) -> None:
        self.head = (status, headers)

    def reset(self) -> bool:
        """Drop what was written, if nothing has left yet; True when that was possible."""
        if self.sent_head:
            return False
        self.pending.clear()
        return True

    def _head_frame(self) -> bytes:
        status, headers = self.head or (200, {})
        self.sent_head = True
        return frame(json.dumps({"status": status, "headers": headers,
                                 "fair_use": self.fair_use}).encode())

    def flush(self) -> None:
        if not self.sent_head:
            write_all(self.fd, self._head_frame())
        super().flush()

    def finish(self) -> None:
        if self.sent_head:
            self.flush()
            write_all(self.fd, LEN.pack(0))
            return
        # The whole answer in one write: the web worker wakes once for it.
        body = frame(bytes(self.pending)) if self.pending else b""
        self.pending.clear()
        write_all(self.fd, self._head_frame() + body + LEN.pack(0))
