"""Publishing a release to a remote SPARQL 1.1 store (`memorial-graph publish --to URL`)."""

from __future__ import annotations

import pyoxigraph as ox

from ..config import Config
from ..release import HISTORY, Release, require_current
from ..store.remote import RemoteStore, replacement_update


def publish(config: Config, query_url: str, update_url: str | None = None,
            progress=lambda m: None) -> Release:
    """Replace the remote store's copy of the collection with the current release, atomically."""
    release = require_current(config.var_dir)
    quads = list(ox.parse(path=str(release.artifact("dataset.nq")), format=ox.RdfFormat.N_QUADS))
    if release.artifact(HISTORY).exists():   # the history graph, as the embedded store has it
        quads += ox.parse(path=str(release.artifact(HISTORY)), format=ox.RdfFormat.N_QUADS)
    progress(f"replacing {len(quads):,} quads at {query_url} in one update request")
    RemoteStore(query_url, update_url).update(replacement_update(quads))
    progress(f"release {release.id} published")
    return release
