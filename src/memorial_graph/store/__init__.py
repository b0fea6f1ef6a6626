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


_MARKER = object()


def open_store(config: Config, release: Release | None = None, published=_MARKER,
               for_queries: bool = False):
    """The configured backend: a remote store (`store_url`), an RDF file (`data_file`), or
    the current release (on disk, or in memory: `Config.keeps_in_memory`, which holds a small
    release in memory `for_queries`).

    A remote store reads the graphs of the load its marker names when opened, or of the one
    given as `published` (a `remote.Published`, or None for graphs under their own names)."""
    if config.store_url:
        from .remote import RemoteStore

        uris = Uris(config.base_uri)
        store = RemoteStore(config.store_url, timeout=config.query_timeout)
        return store.at_load(uris, store.published(uris) if published is _MARKER else published)
    if config.data_file:
        return EmbeddedStore.from_file(config.data_file)
    release = release or require_current(config.var_dir)
    return EmbeddedStore.open_release(release,
                                      in_memory=config.keeps_in_memory(release, for_queries))
