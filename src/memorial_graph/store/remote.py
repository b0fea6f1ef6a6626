"""The remote backend: any SPARQL 1.1 Protocol + Update store, spoken to with SPARQLWrapper.

Queries go to the store's query endpoint; bound values are added as a VALUES block of
serialized RDF terms (never pasted request text) at the start of the WHERE clause (and of each subquery's), so
that BIND and FILTER see them as they see pyoxigraph's substitutions (a trailing VALUES clause is
joined only after the WHERE clause, too late for them). Results are parsed back into
pyoxigraph objects, so the web tier handles both backends the same way.

The store must answer queries over the union of its named graphs when no graph is named
(Oxigraph: `--union-default-graph`; Fuseki: `tdb2:unionDefaultGraph true`; GraphDB and
Virtuoso do so by default). See docs/deploying.md. A query's own FROM / FROM NAMED graphs are
sent as the protocol dataset as well, since such a store may let its union override them.
"""

from __future__ import annotations

import re
import urllib.error

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

from ..errors import BadRequest, MalformedQuery, StoreError
from ..sparql_text import dataset_clause, expand_escapes, names_dataset, where_clause_starts
from .base import Bindings, Dataset, QueryMethods

_GRAPH_FORM = re.compile(r"^\s*(?:(?:PREFIX|BASE)\b[^\n]*\n|\s|#[^\n]*\n)*(CONSTRUCT|DESCRIBE)\b",
                         re.IGNORECASE)


def _bind(sparql: str, bindings: Bindings) -> str:
    """The query with its bound values in a VALUES block opening its WHERE clause and each
    subquery's, as pyoxigraph's substitutions bind them everywhere (at the end when the
    query has no WHERE clause)."""
    if not bindings:
        return sparql
    names = " ".join(f"?{v.value}" for v in bindings)
    terms = " ".join(str(t) for t in bindings.values())
    block = f"VALUES ({names}) {{ ({terms}) }}"
    text = expand_escapes(sparql)     # where_clause_starts counts in the expanded text
    starts = where_clause_starts(sparql)
    if not starts:
        return f"{text}\n{block}"
    for start in reversed(starts):
        text = f"{text[:start]} {block}\n{text[start:]}"
    return text


class RemoteStore(QueryMethods):
    def __init__(self, query_url: str, update_url: str | None = None, timeout: float = 30.0):
        self.query_url = query_url
        self.update_url = update_url or derive_update_url(query_url)
        self.timeout = timeout

    def _client(self, sparql: str, dataset: Dataset | None) -> SPARQLWrapper:
        client = SPARQLWrapper(self.query_url)
        client.setQuery(sparql)
        client.setMethod(POST)
        client.setTimeout(int(self.timeout) + 1)
        client.setReturnFormat(TURTLE if _GRAPH_FORM.match(sparql) else JSON)
        if dataset:
            for graph in dataset.default_graphs:
                client.addDefaultGraph(graph)
            for graph in dataset.named_graphs:
                client.addNamedGraph(graph)
        return client

    def query(self, sparql: str, bindings: Bindings = None, dataset: Dataset | None = None,
              base_iri: str | None = None):
        # A BASE before the query's own prologue: relative IRIs resolve against our endpoint,
        # not the store's, and a BASE the query declares still wins.
        prologue = f"BASE <{base_iri}>\n" if base_iri else ""
        text = prologue + _bind(sparql, bindings)
        if (dataset is None or not dataset.given) and names_dataset(sparql):
            # Sent as the protocol's dataset too: a store serving the union as its default
            # graph may otherwise let the union override the query's FROM (Oxigraph does).
            default, named = dataset_clause(text)
            dataset = Dataset(tuple(default), tuple(named))
        client = self._client(text, dataset)
        try:
            response = client.query().response
            body = response.read()
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        except urllib.error.HTTPError as exc:
            message = exc.read().decode("utf-8", "replace").strip()
            if exc.code == 400:
                raise MalformedQuery(message) from exc
            raise StoreError(f"the remote store answered {exc.code}: {message}") from exc
        except Exception as exc:  # noqa: BLE001 - SPARQLWrapper raises many kinds
            if "QueryBadFormed" in type(exc).__name__:
                raise MalformedQuery(str(exc)) from exc
            raise StoreError(f"the remote store could not be reached: {exc}") from exc
        if content_type in ("application/sparql-results+json", "application/json"):
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        fmt = ox.RdfFormat.from_media_type(content_type) or ox.RdfFormat.TURTLE
        return iter(ox.parse(body, format=fmt))

    def exists(self, iri: str) -> bool:
        return self.ask("ASK { ?s ?p ?o }", {ox.Variable("s"): ox.NamedNode(iri)})

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0]["n"].value) if rows else 0

    def update(self, sparql_update: str) -> None:
        client = SPARQLWrapper(self.query_url, updateEndpoint=self.update_url)
        client.setMethod(POST)
        client.setTimeout(max(60, int(self.timeout)))
        client.setQuery(sparql_update)
        try:
            client.query()
        except urllib.error.HTTPError as exc:
            raise StoreError(f"the remote store refused the update ({exc.code}): "
                             f"{exc.read().decode('utf-8', 'replace')[:500]}") from exc


def derive_update_url(query_url: str) -> str:
    """Oxigraph serves /query and /update; Fuseki serves /ds/sparql and /ds/update."""
    for suffix in ("/query", "/sparql"):
        if query_url.endswith(suffix):
            return query_url[: -len(suffix)] + "/update"
    raise BadRequest(f"cannot derive the update endpoint from {query_url}; give it explicitly")


def replacement_update(quads: list[ox.Quad]) -> str:
    """One SPARQL Update request that replaces every graph the release holds.

    Stores run one update request as one transaction (Oxigraph, Fuseki/TDB2, GraphDB), so
    readers see the old release or the new one, never a mix.
    """
    by_graph: dict[str, list[ox.Triple]] = {}
    for q in quads:
        if not isinstance(q.graph_name, ox.NamedNode):
            raise BadRequest("a release keeps every triple in a named graph")
        by_graph.setdefault(q.graph_name.value, []).append(
            ox.Triple(q.subject, q.predicate, q.object))
    drops = "".join(f"DROP SILENT GRAPH <{g}> ;\n" for g in sorted(by_graph))
    blocks = "\n".join(
        f"GRAPH <{g}> {{\n" + ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode() + "}"
        for g, triples in sorted(by_graph.items()))
    return f"{drops}INSERT DATA {{\n{blocks}\n}}"
