"""Publishing a release to a remote SPARQL 1.1 store (`memorial-graph publish --to URL`).

The release is streamed from its dataset.nq in batches into staging graphs (one per graph of
the release, named after the release), then one update request moves them onto the published
graph names. Readers of the store see the previous release until that request commits, and
then the new one; a publish that fails half-way leaves only staging graphs, which the next
publish of the same release replaces.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from .. import namespaces as ns
from ..config import Config
from ..release import HISTORY, Release, require_current
from ..store.remote import RemoteStore, insert, switch
from ..uris import Uris

BATCH_TRIPLES = 20_000   # triples per INSERT DATA request (a few MB of text)


def batches(release: Release, size: int = BATCH_TRIPLES) -> Iterator[tuple[str, list[ox.Triple]]]:
    """(graph, triples) runs of at most `size`, read from dataset.nq as it streams. The triples
    of a graph that hold blank nodes come in one run of their own at the graph's end (a blank
    node means the same node only within one request; the collection itself has none)."""
    graph, batch, blank = None, [], []
    files = [release.artifact("dataset.nq")]
    if release.artifact(HISTORY).exists():   # the history graph, as the embedded store has it
        files.append(release.artifact(HISTORY))
    quads = (q for path in files for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))
    for quad in quads:
        name = quad.graph_name.value
        if name != graph:
            yield from ((graph, run) for run in (batch, blank) if run)
            graph, batch, blank = name, [], []
        triple = ox.Triple(quad.subject, quad.predicate, quad.object)
        if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
            blank.append(triple)
            continue
        batch.append(triple)
        if len(batch) >= size:
            yield graph, batch
            batch = []
    yield from ((graph, run) for run in (batch, blank) if run)


def staging_graph(graph: str, release: Release) -> str:
    return f"{graph}#staging-{release.id}"


def publish(config: Config, query_url: str, update_url: str | None = None,
            credentials: tuple[str, str] | None = None, auth: str = "basic",
            progress=lambda m: None, batch_triples: int = BATCH_TRIPLES) -> Release:
    """Replace the remote store's copy of the collection with the current release; readers
    switch from the old release to the new one at once."""
    release = require_current(config.var_dir)
    store = RemoteStore(query_url, update_url, credentials=credentials, auth=auth)
    moves: dict[str, str] = {}
    sent = 0
    for graph, triples in batches(release, batch_triples):
        if graph not in moves:
            moves[graph] = staging_graph(graph, release)
            store.update(f"DROP SILENT GRAPH <{moves[graph]}>")
        store.update(insert(moves[graph], triples))
        sent += len(triples)
        progress(f"loaded {sent:,} of {release.manifest.get('quads', 0):,} quads into staging graphs")
    progress(f"switching {len(moves)} graphs to release {release.id} in one update")
    uris = Uris(release.manifest.get("base_uri") or config.base_uri)
    marker = [ox.Triple(ox.NamedNode(uris.dataset), ox.NamedNode(ns.OWL + "versionInfo"),
                        ox.Literal(release.id)),
              ox.Triple(ox.NamedNode(uris.dataset), ox.NamedNode(ns.DCTERMS + "modified"),
                        ox.Literal(release.manifest["created"],
                                   datatype=ox.NamedNode(ns.XSD + "dateTime")))]
    # The marker tells app nodes which release the store holds; it changes in the same
    # transaction as the graphs, so a node that sees it sees the release.
    store.update(switch(moves) + f" ;\nDROP SILENT GRAPH <{uris.release_graph}> ;\n"
                 + insert(uris.release_graph, marker))
    progress(f"release {release.id} published")
    return release
