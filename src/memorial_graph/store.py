"""The store interface: select / ask / construct / describe / bulk load, over a backend.

`EmbeddedStore` wraps pyoxigraph (a release's RocksDB store opened read-only, or in memory).
Queries see the union of all named graphs as their default graph unless a request names
graphs (SPARQL Protocol `default-graph-uri` / `named-graph-uri`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from .errors import BadRequest, NotBuilt
from .release import Release

Bindings = dict[ox.Variable, object] | None


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset a request asks for (SPARQL Protocol section 2.1.4)."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


class Store(Protocol):
    def query(self, sparql: str, bindings: Bindings = None,
              dataset: Dataset | None = None): ...
    def select(self, sparql: str, bindings: Bindings = None) -> list[dict]: ...
    def ask(self, sparql: str, bindings: Bindings = None) -> bool: ...
    def construct(self, sparql: str, bindings: Bindings = None) -> list[ox.Triple]: ...
    def describe(self, iri: str) -> list[ox.Triple]: ...
    def exists(self, iri: str) -> bool: ...
    def bulk_load(self, data: bytes, fmt: ox.RdfFormat) -> None: ...
    def __len__(self) -> int: ...


class QueryMethods:
    """select / ask / construct / describe, built on a backend's `query`."""

    def query(self, sparql: str, bindings: Bindings = None, dataset: Dataset | None = None):
        raise NotImplementedError

    def select(self, sparql: str, bindings: Bindings = None) -> list[dict]:
        result = self.query(sparql, bindings)
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in result]

    def ask(self, sparql: str, bindings: Bindings = None) -> bool:
        return bool(self.query(sparql, bindings))

    def construct(self, sparql: str, bindings: Bindings = None) -> list[ox.Triple]:
        return list(self.query(sparql, bindings))

    def describe(self, iri: str) -> list[ox.Triple]:
        return self.construct("DESCRIBE ?x", {ox.Variable("x"): ox.NamedNode(iri)})


class EmbeddedStore(QueryMethods):
    def __init__(self, store: ox.Store):
        self._store = store

    # ---- opening
    @classmethod
    def open_release(cls, release: Release | None, in_memory: bool = False) -> EmbeddedStore:
        if release is None:
            raise NotBuilt("no release has been built yet: run `memorial-graph build`")
        if in_memory:
            store = ox.Store()
            store.bulk_load(path=str(release.artifact("dataset.nq")), format=ox.RdfFormat.N_QUADS)
            return cls(store)
        return cls(ox.Store.read_only(str(release.store_path)))

    @classmethod
    def from_file(cls, path: Path) -> EmbeddedStore:
        """Any RDF file (format from its extension) as an in-memory store."""
        fmt = ox.RdfFormat.from_extension(Path(path).suffix.lstrip(".") or "nq")
        if fmt is None:
            raise BadRequest(f"cannot tell the RDF format of {path} from its extension")
        store = ox.Store()
        store.bulk_load(path=str(path), format=fmt,
                        to_graph=None if fmt.supports_datasets else ox.DefaultGraph())
        return cls(store)

    # ---- querying
    def query(self, sparql: str, bindings: Bindings = None, dataset: Dataset | None = None):
        kwargs: dict = {}
        if dataset and (dataset.default_graphs or dataset.named_graphs):
            if dataset.default_graphs:
                kwargs["default_graph"] = [ox.NamedNode(g) for g in dataset.default_graphs]
            if dataset.named_graphs:
                kwargs["named_graphs"] = [ox.NamedNode(g) for g in dataset.named_graphs]
        else:
            kwargs["use_default_graph_as_union"] = True
        if bindings:
            kwargs["substitutions"] = bindings
        return self._store.query(sparql, **kwargs)

    def exists(self, iri: str) -> bool:
        """Whether the IRI is the subject of any triple."""
        return next(self._store.quads_for_pattern(ox.NamedNode(iri), None, None), None) is not None

    def quads(self) -> Iterator[ox.Quad]:
        return iter(self._store)

    def bulk_load(self, data: bytes, fmt: ox.RdfFormat) -> None:
        self._store.bulk_load(data, format=fmt)

    def __len__(self) -> int:
        return len(self._store)
