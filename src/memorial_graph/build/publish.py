"""Publishing a release to a remote SPARQL 1.1 store (`memorial-graph publish --to URL`).

The release is streamed from its dataset.nq in batches into graphs of its own, named after
this load of it (`Uris.loaded_graphs`: the release and a fresh tag, so publishing the current
release again never touches what readers read); then one update replaces the single marker
triple that names the current load (`store/remote.py` `switch`). Readers resolve the marker
before they query, so they see the previous release until that update and the new one after,
on every engine. Then the loads other than the new and the previous one (a reader may still
be on the previous: it resolved the marker before the switch) are dropped. A publish that
fails half-way leaves the current release untouched; the next publish drops what it loaded.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pyoxigraph as ox

from ..config import Config
from ..errors import StoreError
from ..queries import load
from ..release import HISTORY, Release, require_current
from ..store import Dataset
from ..store.remote import RemoteStore, describe_load, forget_load, insert, switch
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


def publish(config: Config, query_url: str, update_url: str | None = None,
            credentials: tuple[str, str] | None = None, auth: str = "basic",
            progress=lambda m: None, batch_triples: int = BATCH_TRIPLES) -> Release:
    """Make the current release the one the remote store serves; readers switch from the
    old release to the new one at once."""
    release = require_current(config.var_dir)
    uris = Uris(release.manifest.get("base_uri") or config.base_uri)
    store = RemoteStore(query_url, update_url, credentials=credentials, auth=auth)
    previous = store.published(uris)
    tag = secrets.token_hex(4)
    names = uris.loaded_graphs(release.id, tag)
    store.update(describe_load(uris, release.id, tag, release.manifest["created"]))
    sent = 0
    for graph, triples in batches(release, batch_triples):
        if graph not in names:
            raise StoreError(f"the release has a graph publish does not know: <{graph}>")
        store.update(insert(names[graph], triples))
        sent += len(triples)
        progress(f"loaded {sent:,} of {release.manifest.get('quads', 0):,} quads")
    progress(f"switching to release {release.id} (load {tag}) in one update")
    store.update(switch(uris, release.id, tag, first=previous is None,
                        replacing=previous and uris.load(previous.release, previous.tag)))
    now = store.published(uris)
    if now is None or (now.release, now.tag) != (release.id, tag):
        # Another publish switched the store while this one loaded: its release stays.
        store.update(forget_load(uris, release.id, tag))
        raise StoreError(f"another publish made release "
                         f"{now.release if now else '(none)'} current while release "
                         f"{release.id} was being loaded; this publish changed nothing: run "
                         f"it again to make {release.id} current")
    keep = {(release.id, tag)} | ({(previous.release, previous.tag)} if previous else set())
    for row in store.select(load("published-loads"), dataset=Dataset((uris.release_graph,), ())):
        old = (row["release"].value, row["tag"].value)
        if old not in keep:
            progress(f"dropping the graphs of release {old[0]} (load {old[1]})")
            store.update(forget_load(uris, *old))
    if previous is not None:
        # Graphs under their own names (a store published before loads were named, or
        # loaded by other means): no reader is on them once a load has been current.
        store.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in uris.graphs.values()))
    progress(f"release {release.id} published")
    return release
