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

    def href(self, iri: str) -> str:
        """Where a browser should go for an IRI: a local page for ours, the IRI otherwise."""
        ident = self.uris.local_id(iri)
        if ident is None:
            return iri
        fragment = iri.split("#", 1)[1] if "#" in iri else ""
        return self.doc(ident) + (f"#{fragment}" if fragment else "")

    # ---- pages
    @staticmethod
    def home() -> str:
        return "/"

    @staticmethod
    def index(kind: str) -> str:
        return f"/index/{kind}"

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
