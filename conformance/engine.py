"""The same test run in-process on pyoxigraph: same data, same dataset, same query text.

A test that fails over HTTP but passes here is our defect; one that fails here too is the
engine's (and belongs in known_failures.toml).
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

_PROLOGUE = re.compile(r"^(\s+|#[^\n]*|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)*",
                       re.IGNORECASE)


def query_form(text: str) -> str:
    rest = text[_PROLOGUE.match(text).end():]
    return rest.split(None, 1)[0].upper() if rest.strip() else ""


def calls_out(text: str) -> bool:
    """Whether the query might hold a SERVICE call (conservatively: the word, or an escape that
    could spell it), which pyoxigraph would make over the network when evaluating."""
    return re.search(r"service|\\u|\\U", text, re.IGNORECASE) is not None


class Engine:
    def __init__(self, nquads: Path):
        self.store = ox.Store()
        self.store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)

    def query(self, text: str, default: list[str] | None, named: list[str] | None,
              base_iri: str | None = None):
        """default/named None: the query's own dataset (FROM / FROM NAMED)."""
        kwargs: dict = {"base_iri": base_iri} if base_iri else {}
        if default is not None or named is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default or []]
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named or []]
        return self.store.query(text, **kwargs)


def serialize(result, fmt: str) -> tuple[bytes, str]:
    """A query result as bytes in `fmt` (results format name) or N-Triples for graphs;
    returns (bytes, the format the bytes are in)."""
    formats = {"xml": ox.QueryResultsFormat.XML, "json": ox.QueryResultsFormat.JSON,
               "tsv": ox.QueryResultsFormat.TSV, "csv": ox.QueryResultsFormat.CSV}
    if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
        return result.serialize(format=formats[fmt]), fmt
    return ox.serialize(result, format=ox.RdfFormat.N_TRIPLES), "nt"
