"""The store wing: the protocol every backend speaks (`base.py`), the embedded pyoxigraph
backend and the remote SPARQL 1.1 backend, and `open_store`, the one function that opens the
backend a configuration names."""

from __future__ import annotations

from ..config import Config
from ..release import Release, require_current
from ..uris import Uris
from .base import Bindings, Dataset, QueryMethods, Store
from .embedded import EmbeddedStore

__all__ = ["Bindings", "Dataset", "EmbeddedStore", "QueryMethods", "Store", "open_store"]


def open_store(config: Config, release: Release | None = None):
    """The configured backend: a remote store (`store_url`), an RDF file (`data_file`), or
    the current release (on disk, or in memory with `in_memory`)."""
    if config.store_url:
        from .remote import RemoteStore

        uris = Uris(config.base_uri)
        return RemoteStore(config.store_url, timeout=config.query_timeout,
                           graphs=(uris.collection_graph, uris.ontology_graph, uris.meta_graph,
                                   uris.history_graph))
    if config.data_file:
        return EmbeddedStore.from_file(config.data_file)
    return EmbeddedStore.open_release(release or require_current(config.var_dir),
                                      in_memory=config.in_memory)
