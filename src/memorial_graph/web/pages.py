"""HTML for people: the home page, an index per kind of record, the query page, `/health`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import NamedTuple

from flask import Blueprint, Flask, Response, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from .. import namespaces as ns
from ..entity_classes import EntityClasses
from ..errors import BadRequest, NotFound
from ..formats import FORMATS
from ..queries import load
from . import query_jobs
from .conneg import negotiate, negotiate_language
from .dataset_description import COLLECTION_FORMATS, void_response
from .front import inline
from .i18n import DEFAULT, interface_language, names_preference

bp = Blueprint("pages", __name__)
# The default language: of names when the reader asks for none we have, and of the interface
# (the templates' msgids); the request's own interface language is i18n.interface_language().
UI_LANGUAGE = DEFAULT


class Index(NamedTuple):
    title: str                      # (lazy: translated when shown)
    nav: str | None                 # its label in the site navigation (None: not there)
    roots: tuple[str, ...]          # the ontology classes it lists, with their subclasses
    count: Callable[[int], str]     # the words after a count of them ("3 people", "3 nəfər")


# The indexes, in navigation order. A new class in the ontology lands in its superclass's.
INDEXES: dict[str, Index] = {
    "monuments": Index(_l("Monuments and objects"), _l("Monuments"), ("HumanMadeObject", "Inscription"),
                       lambda n: ngettext("monument or object", "monuments and objects", n)),
    "events": Index(_l("Events"), _l("Events"), ("Event",), lambda n: ngettext("event", "events", n)),
    "people": Index(_l("People"), _l("People"), ("Person",), lambda n: ngettext("person", "people", n)),
    "groups": Index(_l("Groups"), _l("Groups"), ("Group",), lambda n: ngettext("group", "groups", n)),
    "places": Index(_l("Places"), _l("Places"), ("Place",), lambda n: ngettext("place", "places", n)),
    "concepts": Index(_l("Materials and categories"), None, ("Material", "PopulationCategory"),
                      lambda n: ngettext("material or category", "materials and categories", n)),
    "sources": Index(_l("Sources"), _l("Sources"), ("Source",), lambda n: ngettext("source", "sources", n)),
}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


def index_of(classes: EntityClasses, class_iri: str) -> str | None:
    local = class_iri.removeprefix(ns.MG)
    for slug, index in INDEXES.items():
        if any(classes.is_a(local, root) for root in index.roots):
            return slug
    return None


def names_language(available: list[str] | None = None) -> str:
    """The language the reader wants names in: Accept-Language among `available` (by default
    the languages of the collection's names); `*` or nothing: English."""
    return negotiate_language(names_preference(),
                              available or g.site.snapshot().label_languages, default=UI_LANGUAGE)


def language_headers(response: Response, names: str | None) -> Response:
    """Content-Language: the interface's language and that of the names the page shows."""
    languages = dict.fromkeys([interface_language()] + ([names] if names else []))
    response.headers["Content-Language"] = ", ".join(languages)
    response.vary.add("Accept-Language")
    response.vary.add("Cookie")
    return response


def _page(template: str, names: str | None, **context) -> Response:
    response = Response(render_template(template, **context),
                        content_type=FORMATS["html"].content_type)
    return language_headers(response, names)


def entities_by_index(lang: str = UI_LANGUAGE) -> dict[str, list[tuple[str, str, str, str]]]:
    """index slug -> [(href, label, label's language, class label)], computed once per
    release and language."""
    snap = g.site.snapshot()

    def make():
        found: dict[str, dict[str, tuple[str, str, str, str]]] = defaultdict(dict)
        for row in snap.store.select(load("entities-by-class")):
            slug = index_of(snap.classes, row["class"].value)
            if slug is None:
                continue
            iri = row["entity"].value
            label, label_lang = snap.label_in(iri, lang) or (
                (row["label"].value, row["label"].language or UI_LANGUAGE) if "label" in row
                else (iri, UI_LANGUAGE))
            cls = snap.property_labels.get(row["class"].value, ns.compact(row["class"].value))
            found[slug][iri] = (g.site.urls.href(iri), label, label_lang, cls)
        return {k: sorted(v.values(), key=lambda x: x[1].lower()) for k, v in found.items()}

    return snap.memo(("index", lang), make)


class TimelineEntry(NamedTuple):
    edtf: str            # as the sources allow it: "1992-02-25/1992-02-26" (the `edtf` filter)
    href: str
    label: str
    label_lang: str
    claim_href: str
    sources: int


def timeline(lang: str = UI_LANGUAGE) -> list[TimelineEntry]:
    """The events' dated claims in time order, named in `lang` where the collection can (else
    English, else any), computed once per release and language."""
    snap = g.site.snapshot()
    urls = g.site.urls

    def make():
        out = []
        for r in snap.store.select(load("events-timeline")):
            event = r["event"].value
            label, label_lang = snap.label_in(event, lang) or (event, UI_LANGUAGE)
            out.append(TimelineEntry(r["edtf"].value, urls.href(event), label, label_lang,
                                     urls.href(r["claim"].value), int(r["sources"].value)))
        return out

    return snap.memo(("timeline", lang), make)


@bp.route("/")
def home():
    # The collection's own IRI: RDF clients get its description (VoID + DCAT).
    fmt = negotiate(COLLECTION_FORMATS, request.headers.get("Accept"), request.args.get("format"))
    if fmt.name != "html":
        return void_response(fmt)
    snap = g.site.snapshot()
    meta = snap.meta
    lang = names_language()
    claims = snap.memo("claims", lambda: int(snap.store.select(load("count-claims"))[0]["n"].value))
    examples = [(g.site.urls.href(iri), *(snap.label_in(iri, lang) or (iri, UI_LANGUAGE)))
                for iri in meta.get("examples", [])]
    response = _page(
        "home.html", lang, meta=meta, index=entities_by_index(lang), claims=claims,
        quads=snap.quads, release=snap.version, examples=examples,
        timeline=timeline(lang), saved=sorted(g.site.saved.values(), key=lambda q: q.title),
        canonical=g.site.urls.absolute(g.site.urls.home()))
    response.vary.add("Accept")
    return response


PAGE_SIZE = 100
SORTS = {"name": lambda item: item[1].lower(), "kind": lambda item: (item[3].lower(), item[1].lower())}


@bp.route("/index/<kind>")
def kind_index(kind: str):
    if kind not in INDEXES:
        raise NotFound(f"there is no index '{kind}'; try one of {', '.join(INDEXES)}")
    lang = names_language()
    sort = request.args.get("sort", "name")
    if sort not in SORTS:
        raise BadRequest(f"an index sorts by {' or '.join(SORTS)}, not '{sort}'")
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        raise BadRequest("page must be a whole number") from None
    items = entities_by_index(lang).get(kind, [])
    if sort != "name":
        items = sorted(items, key=SORTS[sort])
    pages = max(1, -(-len(items) // PAGE_SIZE))
    if not 1 <= page <= pages:
        raise NotFound(f"the index '{kind}' has {pages} page(s)")
    shown = items[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return _page("index.html", lang, kind=kind, title=INDEXES[kind].title, items=shown,
                 total=len(items), page=page, pages=pages, sort=sort, sorts=SORTS,
                 first=(page - 1) * PAGE_SIZE + 1,
                 canonical=g.site.urls.absolute(g.site.urls.index(kind)))


@bp.route("/query")
def query_page():
    saved = sorted(g.site.saved.values(), key=lambda q: q.title)
    chosen = request.args.get("example")
    text = request.args.get("query")
    if chosen and chosen in g.site.saved:
        text = g.site.saved[chosen].text
    # A permalink (`?query=`) runs its query when the page opens; an example only loads.
    return _page("query.html", None, query=text, saved=saved, run=bool(request.args.get("query")))


@bp.route("/health")
@inline
def health():
    snap = g.site.snapshot()
    # Where pages and documents ("store") and queries read the release: "memory", "disk" or
    # "remote" (docs/deploying.md, "Memory or disk").
    store = snap.held
    config = g.site.config
    serving = query_jobs.serving(config)
    if serving is not None:
        # As the query service says: a release it does not hold (still loading it aside, or
        # it failed to) is read from its store by the query processes.
        queries = serving["queries"] if serving.get("release") == snap.version else \
            "disk" if snap.release is not None else store
    else:
        queries = "memory" if store == "disk" and snap.release is not None and \
            config.keeps_in_memory(snap.release, for_queries=True) else store
    return jsonify({"status": "ok", "release": snap.version, "quads": snap.quads,
                    "store": store, "queries": queries})

