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
    def select(self, sparql: str, bindings: Bindings = None,
               dataset: Dataset | None = None) -> list[dict]: ...
    def ask(self, sparql: str, bindings: Bindings = None) -> bool: ...
    def construct(self, sparql: str, bindings: Bindings = None) -> list[ox.Triple]: ...
    def exists(self, iri: str) -> bool: ...
    def __len__(self) -> int: ...


class QueryMethods:
    """select / ask / construct / describe, built on a backend's `query`."""

    def query(self, sparql: str, bindings: Bindings = None, dataset: Dataset | None = None):
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


def code_tokens(sparql: str):
    """(position, token) for each keyword-like word and each brace of a query, outside its
    comments, strings and IRIs, in one linear pass."""
    i, n = 0, len(sparql)
    while i < n:
        c = sparql[i]
        if c == "#":
            end = sparql.find("\n", i)
            i = n if end < 0 else end + 1
        elif c in "\"'":
            quote = c * 3 if sparql.startswith(c * 3, i) else c
            i += len(quote)
            while i < n and not sparql.startswith(quote, i):
                i += 2 if sparql[i] == "\\" else 1
            i += len(quote)
        elif c == "<" and i + 1 < n and sparql[i + 1] not in " \t\r\n=":
            end = sparql.find(">", i)
            i = n if end < 0 else end + 1
        elif c in "{}":
            yield i, c
            i += 1
        elif c.isalpha() and (i == 0 or not _word(sparql[i - 1])):
            j = i
            while j < n and _word(sparql[j]):
                j += 1
            yield i, sparql[i:j].upper()
            i = j
        else:
            i += 1


def declares_dataset(sparql: str) -> bool:
    """Whether the query names its own dataset (FROM / FROM NAMED); `# from`, "FROM" and
    <…from…> do not count."""
    return any(token == "FROM" for _i, token in code_tokens(sparql))


def where_group_start(sparql: str) -> int | None:
    """The position just inside the query's WHERE group (after its `{`), or None. For
    CONSTRUCT the group after the WHERE keyword (the first braces are its template)."""
    tokens = code_tokens(sparql)
    form = None
    for i, token in tokens:
        if form is None and token in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            form = token
        elif form and token == "WHERE":
            for j, brace in tokens:
                if brace == "{":
                    return j + 1
            return None
        elif form and form != "CONSTRUCT" and token == "{":
            return i + 1
    return None


def _word(c: str) -> bool:
    return c.isalnum() or c in "_:?$-"
