"""Loading the release's store while the collection is still being compiled.

The compiler hands over N-Quads text record by record; this loader gathers it into chunks
and bulk-loads each chunk into the release's RocksDB store in a thread of its own. pyoxigraph
parses and writes without Python's lock, so loading runs beside the compiler (one core) and
the validation workers, instead of after them, and only a few chunks are held in memory at
once. A bounded queue makes the compiler wait when the loader falls behind.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import pyoxigraph as ox

CHUNK_LINES = 250_000   # bulk_load of 500k lines peaked at 694 MiB, of 250k at 377 MiB, same CPU


class StoreLoader:
    def __init__(self, path: Path, lenient: bool, chunk_lines: int = CHUNK_LINES,
                 in_flight: int = 2):
        self.store = ox.Store(str(path))
        self.lenient = lenient
        self.chunk_lines = chunk_lines
        self.queue: queue.Queue[bytes | None] = queue.Queue(maxsize=in_flight)
        self.buffer: list[bytes] = []
        self.lines = 0
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._load, name="store-loader", daemon=True)
        self.thread.start()

    def feed(self, data: bytes, lines: int) -> None:
        """N-Quads bytes holding `lines` lines (whole lines)."""
        self.buffer.append(data)
        self.lines += lines
        if self.lines >= self.chunk_lines:
            self._hand_over()

    def _hand_over(self) -> None:
        if self.buffer:
            self.queue.put(b"".join(self.buffer))
            self.buffer, self.lines = [], 0

    def _load(self) -> None:
        while (chunk := self.queue.get()) is not None:
            if self.error is None:        # after a failure, keep draining so feed never blocks
                try:
                    # lenient: IRIs are not checked again; every line was parsed strictly
                    # by the validator (or will be, by pySHACL's whole-file check).
                    self.store.bulk_load(chunk, format=ox.RdfFormat.N_QUADS, lenient=self.lenient)
                except BaseException as exc:  # noqa: BLE001 - reported by finish()
                    self.error = exc

    def finish(self) -> ox.Store:
        """Load what is left and return the store; raise what the loader ran into."""
        self._hand_over()
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.store

    def abort(self) -> None:
        """Stop loading (the build failed); the store's directory is removed with the release."""
        self.buffer = []
        self.error = self.error or RuntimeError("build abandoned")
        self.queue.put(None)
        self.thread.join()
