"""The store protocol every backend speaks: query (with bound values and a dataset),
select / ask / construct / describe on top of it, and existence checks.

Queries see the union of all named graphs as their default graph unless a request names
graphs (SPARQL Protocol `default-graph-uri` / `named-graph-uri`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pyoxigraph as ox

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
    def exists(self, iri: str) -> bool: ...
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


