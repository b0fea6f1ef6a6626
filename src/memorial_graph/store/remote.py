"""The remote backend: any SPARQL 1.1 Protocol + Update store, spoken to with SPARQLWrapper.

Queries go to the store's query endpoint; bound values are added as a VALUES block of
serialized RDF terms (never pasted request text) at the start of the WHERE clause and of each
subquery's, so that BIND and FILTER see them as they see pyoxigraph's substitutions (a
trailing VALUES clause is joined only after the WHERE clause, too late for them; Virtuoso also
refuses one on CONSTRUCT and ASK). Results are parsed back into pyoxigraph objects, so the web
tier handles both backends the same way.

The store must answer queries over the union of its named graphs when no graph is named
(Oxigraph: `--union-default-graph`; Fuseki: `tdb2:unionDefaultGraph true`; GraphDB and
Virtuoso do so by default). Differences between engines are handled here, never in views;
each is listed, with the engine's version, in docs/deploying.md:

- Virtuoso 7.2 answers ASK as a one-row SELECT (`__ASK_RETVAL` = 0 or 1): read back as the
  boolean it is. It writes every xsd:boolean in SPARQL results as `"1"` or `"0"`: read back
  as `"true"` / `"false"`, the form the collection holds (its CONSTRUCT answers say so too).
- Virtuoso refuses updates on its public endpoint: publish to `/sparql-auth` with digest
  authentication; it refuses blank nodes in INSERT DATA (`insert` puts those in a template).
- Virtuoso 7.2 reads a request that names default graphs but no named graph as naming every
  stored graph (and the reverse): the empty side is sent as `NO_GRAPH`, a graph that holds
  nothing. It lets a query's FROM win over the request's `default-graph-uri`: with a request
  dataset the query is sent without its dataset clause.

A query's own FROM / FROM NAMED graphs are sent as the protocol dataset as well, since such a
store may let its union override them; a query that names none is confined to the
collection's graphs (`graphs`), which keeps a store's own graphs (Virtuoso's) out.

Releases switch by name, the same way on every engine: `publish` loads each release's graphs
under names of their own (`Uris.loaded_graphs`) and then replaces the one marker triple that
names the current load (`published`), a single-triple update which Virtuoso 7.2 too applies
atomically (a multi-graph MOVE it does not). A store opened on a load (`at_load`) reads only
that load's graphs: the protocol dataset lists them, a graph the query names (FROM, FROM
NAMED, GRAPH, or the request's dataset) is renamed to its stored name, and stored names in
answers are renamed back, so queries see the graph IRIs they see over the embedded store. A
reader that read the marker before a switch keeps reading the old load, which stays whole
until the publish after next.
"""

from __future__ import annotations

import json
import os
import urllib.error
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import pyoxigraph as ox
from SPARQLWrapper import BASIC, DIGEST, JSON, POST, TURTLE, SPARQLWrapper

from .. import namespaces as ns
from ..errors import BadRequest, MalformedQuery, StoreError
from ..formats import by_token
from ..queries import load
from ..sparql_text import (
    dataset_clause,
    expand_escapes,
    graph_iris,
    names_dataset,
    tokens,
    where_clause_starts,
    without_dataset_clause,
)
from ..uris import Uris
from .base import Bindings, Dataset, QueryMethods

_ASK_AS_SELECT = "__ASK_RETVAL"    # Virtuoso's one-row answer to ASK
_XSD_BOOLEAN = ns.XSD + "boolean"
# A graph no store holds: the protocol dataset's side that names no graph (see `_client`).
NO_GRAPH = "urn:x-memorial-graph:no-graph"
AUTH = {"basic": BASIC, "digest": DIGEST}


_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


def query_form(sparql: str) -> str:
    """SELECT, CONSTRUCT, DESCRIBE or ASK: the first keyword after the prologue (PREFIX and
    BASE declarations, comments), read with the lexer, so declarations need not end lines."""
    for kind, m in tokens(sparql):
        if kind != "word":
            continue                  # spaces, comments, the declarations' names and IRIs
        word = m.group().upper()
        if word in _FORMS:
            return word
        if word not in ("PREFIX", "BASE"):
            break
    return "SELECT"


def _unreadable(exc: SyntaxError) -> StoreError:
    return StoreError(f"the remote store's answer could not be read: {exc}")


def _boolean(value: bool) -> ox.QueryBoolean:
    return ox.parse_query_results(b'{"head": {}, "boolean": %s}' % (b"true" if value else b"false"),
                                  format=ox.QueryResultsFormat.JSON)


def _canonical_booleans(body: bytes) -> bytes:
    """SPARQL JSON results with Virtuoso's booleans (`"1"` / `"0"`, as it writes every
    xsd:boolean it holds) in their canonical form, `"true"` / `"false"`, as they were loaded."""
    answer = json.loads(body)
    for row in answer.get("results", {}).get("bindings", ()):
        for term in row.values():
            if term.get("datatype") == _XSD_BOOLEAN and term.get("value") in ("0", "1"):
                term["value"] = "true" if term["value"] == "1" else "false"
    return json.dumps(answer).encode("utf-8")


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


@dataclass(frozen=True)
class Published:
    """What a remote store's marker says: the release it serves, the load of it readers go
    to, and when the release was made."""

    release: str
    tag: str
    modified: datetime

    @property
    def key(self) -> str:
        return f"{self.release}/{self.tag}"


def _rename(text: str, names: Mapping[str, str], stored_names=frozenset()) -> str:
    """The query with each graph it names in full (GRAPH, FROM, FROM NAMED) renamed: a graph
    of `names` to its stored name, any other (but a stored name) to NO_GRAPH, which holds
    nothing, as a graph the collection does not have holds nothing over the embedded store."""
    spans = [(start, end, names.get(iri, NO_GRAPH)) for start, end, iri in graph_iris(text)
             if iri not in stored_names]
    for start, end, stored in reversed(spans):
        text = f"{text[:start]}<{stored}>{text[end:]}"
    return text


class RemoteStore(QueryMethods):
    def __init__(self, query_url: str, update_url: str | None = None, timeout: float = 30.0,
                 credentials: tuple[str, str] | None = None, auth: str = "basic",
                 graphs: Mapping[str, str] | tuple[str, ...] = ()):
        self.query_url = query_url
        # The collection's graphs: a query that names no dataset sees their union, as over
        # the embedded store, and not whatever else the store holds (Virtuoso's own graphs).
        # Each graph IRI -> the name it is stored under (the same, or one load's).
        self.graphs = dict(graphs) if isinstance(graphs, Mapping) else {g: g for g in graphs}
        self._renamed = {k: v for k, v in self.graphs.items() if k != v}
        self._stored_names = frozenset(self.graphs.values())
        self._names_back = {v: k for k, v in self._renamed.items()}
        self._back = [(f'"{v}"'.encode(), f'"{k}"'.encode()) for k, v in self._renamed.items()] \
            + [(f"<{v}>".encode(), f"<{k}>".encode()) for k, v in self._renamed.items()]
        # What every stored name ends with (the load's release and tag): one look for it tells
        # whether an answer holds any, before the renaming.
        ends = [v[::-1] for v in self._renamed.values()]
        self._suffix = os.path.commonprefix(ends)[::-1].encode() if ends else b""
        self.update_url = update_url or derive_update_url(query_url)
        self.timeout = timeout
        self.credentials = credentials       # for updates only; queries are public
        self.auth = auth

    # ---- which release the store serves
    def published(self, uris: Uris) -> Published | None:
        """The release and load the store's marker names (None: it names none)."""
        # The marker graph is not one of the collection's: a store confined to a load's
        # graphs (`at_load`) reads it through one that is not.
        reader = RemoteStore(self.query_url, self.update_url, self.timeout, self.credentials,
                             self.auth) if self.graphs else self
        rows = reader.select(load("published-release"),
                           {ox.Variable("dataset"): ox.NamedNode(uris.dataset)},
                           dataset=Dataset((uris.release_graph,), ()))
        if not rows:
            return None
        modified = datetime.fromisoformat(rows[0]["modified"].value.replace("Z", "+00:00"))
        return Published(rows[0]["release"].value, rows[0]["tag"].value, modified)

    def at_load(self, uris: Uris, published: Published | None) -> RemoteStore:
        """The same store, reading the graphs of one load (None: the graphs under their own
        names, as a store loaded by other means holds them)."""
        graphs = uris.loaded_graphs(published.release, published.tag) if published \
            else {g: g for g in uris.graphs.values()}
        return RemoteStore(self.query_url, self.update_url, self.timeout, self.credentials,
                           self.auth, graphs)

    def _stored(self, graphs) -> tuple[str, ...]:
        """The names graphs are stored under; for a store confined to the collection's graphs,
        a graph that is not one of them is NO_GRAPH (a shared store's other graphs, Virtuoso's
        own, other loads and the marker graph stay out of answers, as over the embedded store)."""
        if not self.graphs:
            return tuple(graphs)
        return tuple(self.graphs.get(g) or (g if g in self._stored_names else NO_GRAPH)
                     for g in graphs)

    def _client(self, sparql: str, dataset: Dataset | None) -> SPARQLWrapper:
        client = SPARQLWrapper(self.query_url)
        client.setQuery(sparql)
        # SPARQLWrapper guesses the form from the first keyword it finds, comments included
        # ("# load …" made a query an update, refused as one): we read it from the text.
        client.queryType = query_form(sparql)
        client.setMethod(POST)
        client.setTimeout(int(self.timeout) + 1)
        client.setReturnFormat(TURTLE if query_form(sparql) in ("CONSTRUCT", "DESCRIBE") else JSON)
        if dataset and dataset.given:
            # The Protocol: graphs named on one side only leave the other side empty. A store
            # reads a side left out as "all of them" (Virtuoso 7.2: every stored graph named),
            # so an empty side is sent as one graph that holds nothing.
            for graph in dataset.default_graphs or (NO_GRAPH,):
                client.addDefaultGraph(graph)
            for graph in dataset.named_graphs or (NO_GRAPH,):
                client.addNamedGraph(graph)
        return client

    def query(self, sparql: str, bindings: Bindings = None, dataset: Dataset | None = None,
              base_iri: str | None = None):
        # A BASE before the query's own prologue: relative IRIs resolve against our endpoint,
        # not the store's, and a BASE the query declares still wins.
        prologue = f"BASE <{base_iri}>\n" if base_iri else ""
        text = prologue + _bind(sparql, bindings)
        if self.graphs:
            text = _rename(text, self.graphs, self._stored_names)
        if (dataset is None or not dataset.given) and names_dataset(sparql):
            # Sent as the protocol's dataset too: a store serving the union as its default
            # graph may otherwise let the union override the query's FROM (Oxigraph does).
            default, named = dataset_clause(text)
            dataset = Dataset(self._stored(default), self._stored(named))
        elif dataset is not None and dataset.given:
            # The request's dataset wins over the query's own (Protocol 2.1.4), which
            # Virtuoso 7.2 would let win: the query goes without it.
            if names_dataset(sparql):
                text = without_dataset_clause(text)
            dataset = Dataset(self._stored(dataset.default_graphs),
                              self._stored(dataset.named_graphs))

        elif self.graphs:
            stored = tuple(self.graphs.values())
            dataset = Dataset(stored, stored)
        client = self._client(text, dataset)
        try:
            response = client.query().response
            body = response.read()
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
            virtuoso = response.headers.get("Server", "").startswith("Virtuoso")
        except urllib.error.HTTPError as exc:
            message = exc.read().decode("utf-8", "replace").strip()
            if exc.code == 400:
                raise MalformedQuery(message) from exc
            raise StoreError(f"the remote store answered {exc.code}: {message}") from exc
        except Exception as exc:  # noqa: BLE001 - SPARQLWrapper raises many kinds
            if "QueryBadFormed" in type(exc).__name__:
                raise MalformedQuery(str(exc)) from exc
            raise StoreError(f"the remote store could not be reached: {exc}") from exc
        if self._back and self._suffix in body:   # GRAPH ?g answers the names queries know
            for stored, name in self._back:
                body = body.replace(stored, name)
        answered = by_token(content_type)
        form = query_form(sparql)
        if form in ("SELECT", "ASK") and (answered is None or answered.results is None):
            # A proxy's error page, say: not an answer, whatever its status.
            raise StoreError(f"the remote store answered {content_type or 'without a type'}, "
                             f"not SPARQL results")
        if answered is not None and answered.results is not None:
            if virtuoso and answered.results == ox.QueryResultsFormat.JSON \
                    and _XSD_BOOLEAN.encode() in body:
                body = _canonical_booleans(body)
            try:
                result = ox.parse_query_results(body, format=answered.results)
            except SyntaxError as exc:
                raise _unreadable(exc) from exc
            if form == "ASK" and isinstance(result, ox.QuerySolutions) \
                    and [v.value for v in result.variables] == [_ASK_AS_SELECT]:
                return _boolean(any(row[_ASK_AS_SELECT].value not in ("0", "false")
                                    for row in result))
            return result
        if answered is None and content_type not in ("", "text/plain", "application/octet-stream"):
            raise StoreError(f"the remote store answered {content_type}, not RDF")
        fmt = answered.rdf if answered is not None and answered.rdf else ox.RdfFormat.TURTLE
        # pyoxigraph's parser yields quads (in the default graph); a graph result is triples,
        # as the embedded store returns them. Stored names are renamed back term by term too:
        # a graph result may write them as prefixed names (Virtuoso's Turtle does), which the
        # text renaming above does not see.
        return self._triples(ox.parse(body, format=fmt))

    def _triples(self, quads):
        back = self._term_back if self._names_back else (lambda term: term)
        try:
            for q in quads:
                yield ox.Triple(back(q.subject), back(q.predicate), back(q.object))
        except SyntaxError as exc:
            raise _unreadable(exc) from exc

    def _term_back(self, term):
        if isinstance(term, ox.NamedNode) and term.value in self._names_back:
            return ox.NamedNode(self._names_back[term.value])
        return term

    def exists(self, iri: str) -> bool:
        return self.ask("ASK { ?s ?p ?o }", {ox.Variable("s"): ox.NamedNode(iri)})

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0]["n"].value) if rows else 0

    def update(self, sparql_update: str) -> None:
        client = SPARQLWrapper(self.query_url, updateEndpoint=self.update_url)
        client.setMethod(POST)
        client.setTimeout(max(60, int(self.timeout)))
        if self.credentials:
            client.setHTTPAuth(AUTH[self.auth])
            client.setCredentials(*self.credentials)
        client.setQuery(sparql_update)
        try:
            client.query().response.read()
        except urllib.error.HTTPError as exc:
            raise StoreError(f"the remote store refused the update ({exc.code}): "
                             f"{exc.read().decode('utf-8', 'replace')[:500]}") from exc
        except Exception as exc:  # noqa: BLE001 - SPARQLWrapper raises many kinds
            raise StoreError(f"the remote store refused the update: {exc}") from exc


def derive_update_url(query_url: str) -> str:
    """Oxigraph serves /query and /update; Fuseki serves /ds/sparql and /ds/update."""
    for suffix in ("/query", "/sparql"):
        if query_url.endswith(suffix):
            return query_url[: -len(suffix)] + "/update"
    raise BadRequest(f"cannot derive the update endpoint from {query_url}; give it explicitly")


def insert(graph: str, triples: list[ox.Triple]) -> str:
    """One update request that adds triples to a named graph (terms serialised by pyoxigraph).

    INSERT DATA, except for triples with blank nodes, which Virtuoso refuses there: those go
    in a template (`INSERT {…} WHERE {}`), which Virtuoso compiles to SQL and so takes only a
    few hundred triples. Blank nodes are scoped to one request, so all the triples of a graph
    that hold blank nodes are sent in one (`build/publish.py` does)."""
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    if any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
           for t in triples):
        return f"INSERT {{ GRAPH <{graph}> {{\n{body}}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}"


def describe_load(uris: Uris, release_id: str, tag: str, created: str) -> str:
    """The update that records a load in the marker graph before its graphs are loaded (not
    yet current: a publish that fails half-way leaves it to be cleared by the next)."""
    load_iri = ox.NamedNode(uris.load(release_id, tag))
    return insert(uris.release_graph, [
        ox.Triple(load_iri, ox.NamedNode(ns.OWL + "versionInfo"), ox.Literal(release_id)),
        ox.Triple(load_iri, ox.NamedNode(ns.DCTERMS + "identifier"), ox.Literal(tag)),
        ox.Triple(load_iri, ox.NamedNode(ns.DCTERMS + "modified"),
                  ox.Literal(created, datatype=ox.NamedNode(ns.XSD + "dateTime")))])


def switch(uris: Uris, release_id: str, tag: str, first: bool = False,
           replacing: str | None = None) -> str:
    """The switch: one update that replaces the single marker triple naming the current load
    (`first`: there is none yet, it is added). Readers resolve the marker first, so they see
    the old load or the new one, never a mix. Oxigraph runs an update request as one
    transaction; Virtuoso 7.2.5 does not run a multi-graph MOVE as one, but a one-triple
    DELETE/INSERT it does apply at once (tested with readers in `tests/store/test_virtuoso.py`;
    it finds no row for an OPTIONAL-only WHERE, hence `first`). With `replacing` (a load's
    IRI) it switches only from that load: a publish that another one overtook changes
    nothing (`publish` then reads the marker back and says so)."""
    graph, dataset = uris.release_graph, uris.dataset
    current = f"<{dataset}> <{ns.DCAT}hasCurrentVersion>"
    new = f"{current} <{uris.load(release_id, tag)}>"
    if first:
        return f"INSERT DATA {{ GRAPH <{graph}> {{ {new} }} }}"
    old = f"<{replacing}>" if replacing else "?old"
    return (f"DELETE {{ GRAPH <{graph}> {{ {current} {old} }} }}\n"
            f"INSERT {{ GRAPH <{graph}> {{ {new} }} }}\n"
            f"WHERE {{ GRAPH <{graph}> {{ {current} {old} }} }}")


def forget_load(uris: Uris, release_id: str, tag: str) -> str:
    """The update that drops one load's graphs and its record in the marker graph."""
    drops = [f"DROP SILENT GRAPH <{g}>" for g in uris.loaded_graphs(release_id, tag).values()]
    return " ;\n".join([*drops, f"DELETE WHERE {{ GRAPH <{uris.release_graph}> "
                                 f"{{ <{uris.load(release_id, tag)}> ?p ?o }} }}"])
