"""SHACL validation of a large archive in partitions, in a second process, while it compiles.

Every constraint in `ontology/shapes.ttl` looks only at a focus node, its own values, the types
of evidence nodes, sources and the collection's editors, the paragraph counts of sources, the
claims made inside the same entity record and the ontology. A partition is therefore a run of
whole entity records (each with its claims, value and evidence nodes) plus a context every
partition shares: all sources, the editors and the ontology. Validating each partition in its
own in-memory store gives exactly the violations of validating the whole graph at once;
tests/build/test_fast_shacl.py proves it on a broken synthetic archive split into many small
partitions. The shapes are checked for that locality
when the validator starts: a sh:class naming anything but evidence, source or editors classes,
or a SPARQL constraint reaching outside it, would need the whole graph and is refused.

The compiler keeps one core busy; the partitions are validated by two worker processes, at
most three partitions in flight, so memory stays bounded whatever the size of the archive.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import SH

from .. import namespaces as ns
from ..processes import die_with_parent
from .fast_shacl import FastValidator, Unsupported, sort_key
from .shacl import Violation, load_graph

# Evidence nodes live in their claim's record; sources and the editors are compiled into the
# context every partition shares.
LOCAL_CLASSES = {ns.MG + "Evidence", ns.MG + "Source", ns.MG + "Editors"}

_validator: FastValidator | None = None
_context: bytes = b""


def check_locality(shapes) -> None:
    """Refuse shapes whose constraints could reach outside one entity record plus context."""
    for cls in shapes.objects(None, SH["class"]):
        if str(cls) not in LOCAL_CLASSES:
            raise Unsupported(f"sh:class {cls} may name a record in another partition")


def _start(shapes_path: str, context: bytes, parent: int) -> None:
    global _validator, _context
    die_with_parent(parent)     # a killed build leaves no worker behind
    shapes = load_graph(Path(shapes_path))
    _validator = FastValidator(shapes)
    _context = context


def _validate(part: bytes) -> list[Violation]:
    store = ox.Store()
    store.bulk_load(_context, format=ox.RdfFormat.N_QUADS)
    store.bulk_load(part, format=ox.RdfFormat.N_QUADS)
    assert _validator is not None
    return _validator.validate(store)


class PartitionedValidator:
    """Feed it N-Quads text cut at entity boundaries; `finish` returns every violation."""

    def __init__(self, shapes_path: Path, shapes, context: str, partition_quads: int = 200_000,
                 workers: int = 2, in_flight: int = 3):
        check_locality(shapes)
        self.partition_quads = partition_quads
        self.in_flight = in_flight
        self.pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"), initializer=_start,
                                        initargs=(str(shapes_path), context.encode("utf-8"),
                                                  os.getpid()))
        self.pending: list[Future] = []
        self.violations: set[Violation] = set()
        self.buffer: list[bytes] = []
        self.lines = 0
        self.partitions = 0

    def feed(self, data: bytes, lines: int) -> None:
        """N-Quads bytes holding `lines` lines, cut at a record's end."""
        self.buffer.append(data)
        self.lines += lines
        if self.lines >= self.partition_quads:
            self._submit()

    def _submit(self) -> None:
        if not self.buffer:
            return
        while len(self.pending) >= self.in_flight:
            self.violations.update(self.pending.pop(0).result())
        self.pending.append(self.pool.submit(_validate, b"".join(self.buffer)))
        self.partitions += 1
        self.buffer, self.lines = [], 0

    def finish(self) -> list[Violation]:
        try:
            if self.partitions == 0 and not self.buffer:
                self.buffer.append(b"")     # no entity records: the context alone is checked
            self._submit()
            for future in self.pending:
                self.violations.update(future.result())
        finally:
            self.close()
        return sorted(self.violations, key=sort_key)

    def close(self) -> None:
        for future in self.pending:
            future.cancel()
        self.pending = []
        self.pool.shutdown(wait=True, cancel_futures=True)
