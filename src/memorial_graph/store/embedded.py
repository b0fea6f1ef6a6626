"""The embedded backend: pyoxigraph, over a release's RocksDB store opened read-only (the
default), the release loaded into memory, or any RDF file loaded into memory."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from ..errors import BadRequest, MalformedQuery, NotBuilt
from ..formats import by_suffix
from ..release import STORE_FILES, Release
from ..sparql_text import names_dataset
from .base import Bindings, Dataset, QueryMethods


class EmbeddedStore(QueryMethods):
    def __init__(self, store: ox.Store, held: str = "memory"):
        self._store = store
        self.held = held            # "memory" or "disk": where the quads are read from

    # ---- opening
    @classmethod
    def open_release(cls, release: Release, in_memory: bool = False) -> EmbeddedStore:
        if in_memory:
            # What the build loaded into the release's store: the dataset and its history.
            # A release without its dataset is damaged: refused, never served as empty (a
            # release made before the history graph existed has no history.nq).
            if not release.artifact(STORE_FILES[0]).exists():
                raise NotBuilt(f"the release {release.id} has no {STORE_FILES[0]}; build again")
            store = ox.Store()
            for name in STORE_FILES:
                if release.artifact(name).exists():
                    store.bulk_load(path=str(release.artifact(name)), format=ox.RdfFormat.N_QUADS)
            return cls(store)
        return cls(ox.Store.read_only(str(release.store_path)), held="disk")

    @classmethod
    def from_file(cls, path: Path) -> EmbeddedStore:
        """Any RDF file (format from its extension) as an in-memory store."""
        found = by_suffix(str(path))
        if found is None:
            raise BadRequest(f"cannot tell the RDF format of {path} from its extension")
        fmt = found.rdf
        store = ox.Store()
        store.bulk_load(path=str(path), format=fmt,
                        to_graph=None if fmt.supports_datasets else ox.DefaultGraph())
        return cls(store)

    # ---- querying
    def query(self, sparql: str, bindings: Bindings = None, dataset: Dataset | None = None,
              base_iri: str | None = None):
        kwargs: dict = {}
        if dataset is not None and dataset.given:
            # Exactly the graphs the request names: an empty list is an empty graph set.
            kwargs["default_graph"] = [ox.NamedNode(g) for g in dataset.default_graphs]
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in dataset.named_graphs]
        elif not names_dataset(sparql):
            # pyoxigraph's union option would override a FROM clause, so only without one.
            kwargs["use_default_graph_as_union"] = True
        if base_iri:
            kwargs["base_iri"] = base_iri
        if bindings:
            kwargs["substitutions"] = bindings
        try:
            return self._store.query(sparql, **kwargs)
        except SyntaxError as exc:
            raise MalformedQuery(str(exc)) from None

    def exists(self, iri: str) -> bool:
        """Whether the IRI is the subject of any triple."""
        return next(self._store.quads_for_pattern(ox.NamedNode(iri), None, None), None) is not None

    def __len__(self) -> int:
        return len(self._store)
