"""The store protocol every backend speaks: query (with bound values and a dataset),
select / ask / construct / describe on top of it, and existence checks.

The dataset of a query follows SPARQL 1.1 section 13 and the Protocol (section 2.1.4): graphs
named by the request (`default-graph-uri` / `named-graph-uri`) win; otherwise the query's own
`FROM` / `FROM NAMED`; otherwise the default graph is the union of all named graphs. Relative
IRIs in a query resolve against `base_iri` (the endpoint's URL) when one is given.
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

    @property
    def given(self) -> bool:
        """Whether the request names any graph: then it names all of them (a graph it does
        not list is not in the dataset)."""
        return bool(self.default_graphs or self.named_graphs)


class Store(Protocol):
    def query(self, sparql: str, bindings: Bindings = None,
              dataset: Dataset | None = None, base_iri: str | None = None): ...
    def select(self, sparql: str, bindings: Bindings = None,
               dataset: Dataset | None = None) -> list[dict]: ...
    def ask(self, sparql: str, bindings: Bindings = None) -> bool: ...
    def construct(self, sparql: str, bindings: Bindings = None) -> list[ox.Triple]: ...
    def exists(self, iri: str) -> bool: ...
    def __len__(self) -> int: ...


class QueryMethods:
    """select / ask / construct / describe, built on a backend's `query`."""

    def query(self, sparql: str, bindings: Bindings = None, dataset: Dataset | None = None,
              base_iri: str | None = None):
        raise NotImplementedError

    def select(self, sparql: str, bindings: Bindings = None,
               dataset: Dataset | None = None) -> list[dict]:
        result = self.query(sparql, bindings, dataset)
        names = [v.value for v in result.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in result]

    def ask(self, sparql: str, bindings: Bindings = None) -> bool:
        return bool(self.query(sparql, bindings))

    def construct(self, sparql: str, bindings: Bindings = None) -> list[ox.Triple]:
        return list(self.query(sparql, bindings))
