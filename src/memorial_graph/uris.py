"""Every IRI the project mints (in the data) is built here; local URL paths are the web
tier's (`web/urls.py`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .namespaces import DEFAULT_BASE_URI, ONTOLOGY_IRI

# Identifiers are opaque: 3-32 lower-case letters, digits or '-' (never a name).
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{2,31}$")


@dataclass(frozen=True)
class Uris:
    """Canonical IRIs under `base`, stable whatever host serves them."""

    base: str = DEFAULT_BASE_URI

    def __post_init__(self) -> None:
        if not self.base.endswith("/"):
            object.__setattr__(self, "base", self.base + "/")

    # ---- canonical IRIs (in the data)
    def entity(self, ident: str) -> str:
        return f"{self.base}id/{ident}"

    @property
    def collection_graph(self) -> str:
        return f"{self.base}graph/collection"

    @property
    def meta_graph(self) -> str:
        return f"{self.base}graph/meta"

    @property
    def release_graph(self) -> str:
        """On a remote store: which release is published there, the marker (written by
        `publish`; read by the remote store before it reads anything else)."""
        return f"{self.base}graph/release"

    @property
    def graphs(self) -> dict[str, str]:
        """**The graphs of a release, once**: short name -> the IRI queries know it by."""
        return {"collection": self.collection_graph, "ontology": self.ontology_graph,
                "meta": self.meta_graph, "history": self.history_graph}

    def load(self, release_id: str, tag: str) -> str:
        """One load of a release into a remote store (`publish`): what the marker names."""
        return f"{self.base}graph/load/{release_id}/{tag}"

    def loaded_graphs(self, release_id: str, tag: str) -> dict[str, str]:
        """The names one load of a release gives its graphs on a remote store: each graph's
        IRI -> the name it is stored under (`{base}graph/{name}/{release}/{tag}`). Readers
        go through the marker to them, so a new load never touches what a reader reads."""
        return {iri: f"{self.base}graph/{name}/{release_id}/{tag}"
                for name, iri in self.graphs.items()}

    @property
    def history_graph(self) -> str:
        """The graph of every release and what changed in it (`build/history.py`)."""
        return f"{self.base}graph/history"

    def release(self, release_id: str) -> str:
        return f"{self.base}releases/{release_id}"

    def versioned(self, release_id: str, ident: str) -> str:
        """An identifier as one release has it: what a citation pinned to that release names."""
        return f"{self.base}releases/{release_id}/id/{ident}"

    @property
    def ontology_graph(self) -> str:
        return ONTOLOGY_IRI

    @property
    def dataset(self) -> str:
        return f"{self.base}void#dataset"

    @property
    def editors(self) -> str:
        """The collection's editors, to whom the labels no source gives are attributed."""
        return f"{self.base}void#editors"

    def local_id(self, iri: str) -> str | None:
        """The identifier of an IRI minted under this base (fragment dropped), or None."""
        prefix = f"{self.base}id/"
        if not iri.startswith(prefix):
            return None
        return iri[len(prefix):].split("#", 1)[0] or None
