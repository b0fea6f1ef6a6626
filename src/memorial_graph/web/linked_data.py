"""Cool URIs: /id/{id} -> 303 -> /doc/{id}, documents in every format, and the ontology."""

from __future__ import annotations

from datetime import UTC, datetime

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, g, redirect, render_template, request

from ..content_hash import HASH_PROPERTY
from ..errors import Gone, NotFound
from ..formats import CITATIONS, DOCUMENT_OR_CITATION, FORMATS, RDF_DOCUMENT, jsonld_content_type
from ..namespaces import ONTOLOGY_IRI
from ..queries import load
from ..uris import ID_PATTERN
from . import citation, structured_data
from .conneg import jsonld_form, negotiate
from .documents import document_triples, serialize
from .entity_view import entity_page, entity_view, paragraph_entries
from .front import inline
from .i18n import interface_language
from .pages import UI_LANGUAGE, language_headers, names_language
from .urls import Urls

bp = Blueprint("linked_data", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


def check_identifier(ident: str) -> str:
    site = g.site
    snap = site.snapshot()
    if not ID_PATTERN.match(ident):
        raise NotFound(f"'{ident}' is not an identifier of this collection")
    iri = site.uris.entity(ident)

    def look_up() -> tuple[str, str | None]:
        retired = snap.store.select(load("retired"), {ox.Variable("iri"): ox.NamedNode(iri)})
        if retired:
            successor = retired[0].get("successor")
            return "retired", successor.value if successor is not None else None
        return ("present" if snap.store.exists(iri) else "absent"), None

    # The release cannot change under a snapshot: each identifier is looked up once.
    state, successor = snap.known(("id", ident), look_up)
    if state == "retired":
        raise Gone(f"the identifier '{ident}' was retired and is never reused",
                   successor=successor)
    if state == "absent":
        raise NotFound(f"there is no resource '{ident}' in this collection")
    return iri


@bp.route("/id/<ident>")
@inline
def identifier(ident: str):
    check_identifier(ident)
    response = redirect(g.site.urls.doc(ident), code=303)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/doc/<path:name>")
@inline
def document(name: str):
    ident, dot, ext = name.partition(".")
    iri = check_identifier(ident)
    fmt = negotiate(DOCUMENT_OR_CITATION, request.headers.get("Accept"),
                    ext if dot else request.args.get("format"))
    snap = g.site.snapshot()
    if fmt.name in CITATIONS:
        return _citation(iri, fmt.name)
    lang = UI_LANGUAGE
    if fmt.name == "html":
        lang = names_language(sorted(snap.labels.get(iri, {})) or [UI_LANGUAGE])
    form = jsonld_form(request.headers.get("Accept")) if fmt.name == "jsonld" else ""
    host = request.host if fmt.name == "html" else ""    # the page names its absolute URL
    ui = interface_language() if fmt.name == "html" else ""    # the page's own words
    entry = snap.cached(("doc", ident, fmt.name, lang, ui, form, host),
                        lambda: _make(iri, fmt.name, lang, form))
    response = _respond(entry, ident, fmt.name, RDF_DOCUMENT, g.site.urls.doc,
                        vary="Accept, Accept-Language")
    if fmt.name == "html":
        language_headers(response, lang)
    return response


def _make(iri: str, fmt: str, lang: str, form: str = "") -> tuple[str, bytes]:
    site = g.site
    snap = site.snapshot()
    triples = document_triples(snap.store, iri)
    if fmt != "html":
        return _media_type(fmt, form), serialize(triples, fmt, site.uris, form)
    view, source_claims = entity_page(site, snap, iri, triples, lang)
    meta = snap.meta
    collection = meta.get("title", "memorial-graph")
    cite = citation.for_document(view, triples, snap, site.uris)
    cites = citation.on_page(cite)
    hashes = {t.subject.value: t.object.value for t in triples
              if t.predicate.value == HASH_PROPERTY}
    alternates = [FORMATS[f] for f in RDF_DOCUMENT if f != "html"]
    _title, title_lang = snap.label_in(iri, lang) or (view.title, UI_LANGUAGE)
    body = render_template("entity.html", view=view, lang=lang, title_lang=title_lang,
                           canonical=site.urls.canonical_page(site.uris.local_id(iri) or ""),
                           cites=cites,
                           alternates=alternates, source_claims=source_claims,
                           paragraphs=paragraph_entries(source_claims),
                           source_url=view.source_url,
                           collection=collection, release=snap.version, hashes=hashes,
                           citation=cite, page_meta=structured_data.entity_meta(cite, view),
                           jsonld=structured_data.script(
                               structured_data.entity_jsonld(view, triples, snap, cite)),
                           citation_links=_citation_links(snap, view.ident))
    return FORMATS["html"].content_type, body.encode("utf-8")


def _media_type(fmt: str, form: str) -> str:
    """The Content-Type of a document: JSON-LD names its document form as its profile."""
    return jsonld_content_type(form) if fmt == "jsonld" else FORMATS[fmt].content_type


def _citation_links(snap, ident: str) -> list:
    """Where a page offers its citation files: the release's own copy, so that a page and
    its memento read the same."""
    if snap.release is None:
        return [(FORMATS[f], Urls.doc(ident, FORMATS[f].extension)) for f in CITATIONS]
    return [(FORMATS[f], Urls.memento(snap.version, ident, FORMATS[f].extension))
            for f in CITATIONS]


def _citation(iri: str, fmt: str) -> Response:
    """The document's citation (DOI-style negotiation), with today's access date."""
    site = g.site
    snap = site.snapshot()
    triples = document_triples(snap.store, iri)
    view = entity_view(triples, iri, snap, site.urls, "en",
                       lambda p: site.property_label(snap, p))
    cite = citation.for_document(view, triples, snap, site.uris)
    body = citation.render(cite, fmt, datetime.now(UTC).date())
    ident = view.ident
    response = Response(body, content_type=FORMATS[fmt].content_type)
    response.headers["Content-Location"] = site.urls.doc(ident, FORMATS[fmt].extension)
    response.headers["Vary"] = "Accept, Accept-Language"
    # The access date changes at midnight (UTC): caches may keep it for an hour.
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def _respond(entry, ident: str, fmt: str, offered, path_for, vary: str) -> Response:
    snap = g.site.snapshot()
    response = Response(entry.body, content_type=entry.media_type)
    response.headers["Content-Location"] = path_for(ident, FORMATS[fmt].extension)
    links = [f'<{path_for(ident, FORMATS[f].extension)}>; rel="alternate"; '
             f'type="{FORMATS[f].media_type}"' for f in offered if f != fmt]
    response.headers["Link"] = ", ".join(links)
    response.headers["Vary"] = vary
    response.headers["Repr-Digest"] = entry.repr_digest
    response.headers["Cache-Control"] = f"public, max-age={g.site.config.cache_seconds}"
    response.set_etag(entry.etag.strip('"'))
    response.last_modified = snap.created
    return response.make_conditional(request)


# ---------------------------------------------------------------------------- the ontology
@bp.route("/ontology")
@bp.route("/ontology.<ext>")
@inline
def ontology(ext: str | None = None):
    fmt = negotiate(RDF_DOCUMENT, request.headers.get("Accept"), ext or request.args.get("format"))
    snap = g.site.snapshot()
    form = jsonld_form(request.headers.get("Accept")) if fmt.name == "jsonld" else ""
    ui = interface_language() if fmt.name == "html" else ""
    entry = snap.cached(("ontology", fmt.name, form, ui), lambda: _make_ontology(fmt.name, form))
    return _respond(entry, "ontology", fmt.name, RDF_DOCUMENT,
                    lambda _i, e: g.site.urls.ontology(e), vary="Accept")


def _make_ontology(fmt: str, form: str = "") -> tuple[str, bytes]:
    site = g.site
    snap = site.snapshot()
    triples = snap.store.construct(load("ontology"), {ox.Variable("g"): ox.NamedNode(ONTOLOGY_IRI)})
    triples = sorted(set(triples), key=str)
    if fmt != "html":
        return _media_type(fmt, form), serialize(triples, fmt, site.uris, form)
    terms = snap.store.select(load("ontology-terms"))
    body = render_template("ontology.html", terms=terms, iri=ONTOLOGY_IRI,
                           alternates=[FORMATS[f] for f in RDF_DOCUMENT if f != "html"])
    return FORMATS["html"].content_type, body.encode("utf-8")
