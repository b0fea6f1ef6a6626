"""Every path the web tier serves is built here, and views and templates use nothing else
(templates reach it as `urls`). Canonical IRIs are `uris.py`'s; `href` maps one to its page."""

from __future__ import annotations

from urllib.parse import urlencode

from ..uris import Uris


def _ext(path: str, ext: str | None) -> str:
    return f"{path}.{ext}" if ext else path


class Urls:
    def __init__(self, uris: Uris):
        self.uris = uris

    # ---- linked data
    @staticmethod
    def identifier(ident: str) -> str:
        return f"/id/{ident}"

    @staticmethod
    def doc(ident: str, ext: str | None = None) -> str:
        return _ext(f"/doc/{ident}", ext)

    @staticmethod
    def ontology(ext: str | None = None) -> str:
        return _ext("/ontology", ext)

    @staticmethod
    def absolute(path: str) -> str:
        """A path as an absolute URL on the host the current request came to."""
        from flask import request

        return request.host_url.rstrip("/") + path

    def canonical_page(self, ident: str) -> str:
        """The URL an entity's page declares canonical and the sitemap lists: its document,
        absolute on the host serving it (the identifier itself answers 303, not the page). A
        memento names the original too, so that it reads as the release served it."""
        return self.absolute(Urls.doc(ident))

    def href(self, iri: str) -> str | None:
        """Where a browser should go for an IRI: a local page for ours (always the current
        document: a page reads the same whichever release serves it), the IRI itself for other
        http(s) IRIs, and nowhere (None) for any other scheme: an IRI a query BINDs may be
        `javascript:…`, which must never become a link."""
        prefix = self.uris.base + "releases/"
        if iri.startswith(prefix):
            return "/releases/" + iri[len(prefix):]
        ident = self.uris.local_id(iri)
        if ident is None:
            return iri if iri.lower().startswith(("http://", "https://")) else None
        fragment = iri.split("#", 1)[1] if "#" in iri else ""
        return Urls.doc(ident) + (f"#{fragment}" if fragment else "")

    @staticmethod
    def doc_link(ident: str, ext: str | None = None) -> str:
        """A document's path as a page's body links it: the current one's, whichever release
        serves the page (`ReleaseUrls` does not prefix it), so the page has the same bytes
        under `/doc/` and under `/releases/{id}/doc/`."""
        return Urls.doc(ident, ext)

    @staticmethod
    def paragraph_id(n: int) -> str:
        """The id of a paragraph's entry on its source's page ("p5")."""
        return f"p{n}"

    @staticmethod
    def paragraph(source_href: str, n: int) -> str:
        """A paragraph's entry on its source's page: what else that paragraph supports."""
        return f"{source_href}#{Urls.paragraph_id(n)}"

    # ---- pages
    @staticmethod
    def home() -> str:
        return "/"

    @staticmethod
    def index(kind: str, **params: str | int) -> str:
        return f"/index/{kind}" + (f"?{urlencode(params)}" if params else "")

    @staticmethod
    def query_page(**params: str) -> str:
        return "/query" + (f"?{urlencode(params)}" if params else "")

    @staticmethod
    def query_vocabulary() -> str:
        """The prefixes and terms the query editor completes (JSON)."""
        return "/query/vocabulary.json"

    @staticmethod
    def search(ext: str | None = None, **params: str | int) -> str:
        return _ext("/search", ext) + (f"?{urlencode(params)}" if params else "")

    # ---- SPARQL and saved queries
    @staticmethod
    def sparql(**params: str) -> str:
        return "/sparql" + (f"?{urlencode(params)}" if params else "")

    @staticmethod
    def saved_queries() -> str:
        return "/queries/"

    @staticmethod
    def saved_query(name: str, **params: str) -> str:
        return f"/queries/{name}" + (f"?{urlencode(params)}" if params else "")

    @staticmethod
    def saved_query_text(name: str) -> str:
        return f"/queries/{name}.rq"

    @staticmethod
    def saved_queries_openapi() -> str:
        return "/queries/openapi.json"

    # ---- for harvesters
    @staticmethod
    def void(ext: str | None = None) -> str:
        return _ext("/void", ext)

    @staticmethod
    def well_known_void() -> str:
        return "/.well-known/void"

    @staticmethod
    def sitemap(page: int | None = None) -> str:
        return "/sitemap.xml" if page is None else f"/sitemap-{page}.xml"

    @staticmethod
    def robots() -> str:
        return "/robots.txt"

    @staticmethod
    def dumps() -> str:
        return "/dumps/"

    @staticmethod
    def dump(name: str) -> str:
        return f"/dumps/{name}"

    @staticmethod
    def health() -> str:
        return "/health"

    # ---- releases, Memento, citations, signposting, changes
    @staticmethod
    def releases(ext: str | None = None) -> str:
        return "/releases/" if ext is None else f"/releases/index.{ext}"

    @staticmethod
    def release(release_id: str) -> str:
        return f"/releases/{release_id}/"

    @staticmethod
    def memento(release_id: str, ident: str, ext: str | None = None) -> str:
        return _ext(f"/releases/{release_id}/doc/{ident}", ext)

    @staticmethod
    def release_changes(release_id: str, ext: str | None = None) -> str:
        return _ext(f"/releases/{release_id}/changes", ext)

    @staticmethod
    def timegate(ident: str) -> str:
        return f"/timegate/{ident}"

    @staticmethod
    def timemap(ident: str, ext: str | None = None) -> str:
        return _ext(f"/timemap/{ident}", ext)

    @staticmethod
    def linkset(ident: str) -> str:
        return f"/linkset/{ident}"

    @staticmethod
    def feed() -> str:
        return "/changes/"

    @staticmethod
    def feed_page(page: int) -> str:
        return f"/changes/{page}"


class ReleaseUrls(Urls):
    """The paths of one release's own copies (`/releases/{id}/...`): its documents, VoID,
    dumps, SPARQL endpoint and saved queries. `href` (links inside pages) stays the current
    one's, so a past release's page has the same bytes it had when it was current."""

    def __init__(self, uris: Uris, release_id: str):
        super().__init__(uris)
        self.release_id = release_id
        self.prefix = f"/releases/{release_id}"

    def identifier(self, ident: str) -> str:
        return self.prefix + Urls.identifier(ident)

    def doc(self, ident: str, ext: str | None = None) -> str:
        return self.prefix + Urls.doc(ident, ext)

    def sparql(self, **params: str) -> str:
        return self.prefix + Urls.sparql(**params)

    def saved_queries(self) -> str:
        return self.prefix + Urls.saved_queries()

    def saved_query(self, name: str, **params: str) -> str:
        return self.prefix + Urls.saved_query(name, **params)

    def void(self, ext: str | None = None) -> str:
        return self.prefix + Urls.void(ext)

    def dumps(self) -> str:
        return self.prefix + Urls.dumps()

    def dump(self, name: str) -> str:
        return self.prefix + Urls.dump(name)

    def home(self) -> str:
        return self.prefix + "/"
