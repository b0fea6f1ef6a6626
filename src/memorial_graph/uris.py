"""Every IRI and every URL path the project mints is built here, in one place."""

from __future__ import annotations

from dataclasses import dataclass

from .namespaces import DEFAULT_BASE_URI, ONTOLOGY_IRI


@dataclass(frozen=True)
class Uris:
    """Canonical IRIs under `base` (stable whatever host serves them) and local URL paths."""

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
    def ontology_graph(self) -> str:
        return ONTOLOGY_IRI

    @property
    def dataset(self) -> str:
        return f"{self.base}void#dataset"

    def local_id(self, iri: str) -> str | None:
        """The identifier of an IRI minted under this base (fragment dropped), or None."""
        prefix = f"{self.base}id/"
        if not iri.startswith(prefix):
            return None
        return iri[len(prefix):].split("#", 1)[0] or None

    # ---- local URL paths (what the web tier serves)
    @staticmethod
    def id_path(ident: str) -> str:
        return f"/id/{ident}"

    @staticmethod
    def doc_path(ident: str, ext: str | None = None) -> str:
        return f"/doc/{ident}.{ext}" if ext else f"/doc/{ident}"

    def href(self, iri: str) -> str:
        """Where a browser should go for an IRI: a local page for ours, the IRI otherwise."""
        ident = self.local_id(iri)
        if ident is None:
            return iri
        fragment = iri.split("#", 1)[1] if "#" in iri else ""
        return self.doc_path(ident) + (f"#{fragment}" if fragment else "")
