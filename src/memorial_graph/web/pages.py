"""HTML for people: the home page, an index per kind of record, the query page, `/health`."""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from flask import Blueprint, Flask, g, jsonify, render_template, request

from .. import namespaces as ns
from ..entity_classes import EntityClasses
from ..errors import NotFound
from ..queries import load
from .conneg import negotiate_language

bp = Blueprint("pages", __name__)



class Index(NamedTuple):
    title: str
    nav: str | None                 # its label in the site navigation (None: not there)
    roots: tuple[str, ...]          # the ontology classes it lists, with their subclasses


# The indexes, in navigation order. A new class in the ontology lands in its superclass's.
INDEXES: dict[str, Index] = {
    "monuments": Index("Monuments and objects", "Monuments", ("HumanMadeObject", "Inscription")),
    "events": Index("Events", "Events", ("Event",)),
    "people": Index("People", "People", ("Person",)),
    "groups": Index("Groups", "Groups", ("Group",)),
    "places": Index("Places", "Places", ("Place",)),
    "concepts": Index("Materials and categories", None, ("Material", "PopulationCategory")),
    "sources": Index("Sources", "Sources", ("Source",)),
}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


def index_of(classes: EntityClasses, class_iri: str) -> str | None:
    local = class_iri.removeprefix(ns.MG)
    for slug, index in INDEXES.items():
        if any(classes.is_a(local, root) for root in index.roots):
            return slug
    return None


def entities_by_index() -> dict[str, list[tuple[str, str, str]]]:
    """index slug -> [(href, label, class label)], computed once per release."""
    snap = g.site.snapshot()

    def make():
        found: dict[str, dict[str, tuple[str, str, str]]] = defaultdict(dict)
        for row in snap.store.select(load("entities-by-class")):
            slug = index_of(snap.classes, row["class"].value)
            if slug is None:
                continue
            iri = row["entity"].value
            label = snap.label(iri) or (row["label"].value if "label" in row else iri)
            cls = snap.property_labels.get(row["class"].value, ns.compact(row["class"].value))
            found[slug][iri] = (g.site.urls.href(iri), label, cls)
        return {k: sorted(v.values(), key=lambda x: x[1].lower()) for k, v in found.items()}

    return snap.memo("index", make)


@bp.route("/")
def home():
    snap = g.site.snapshot()
    meta = snap.meta
    claims = snap.memo("claims", lambda: int(snap.store.select(load("count-claims"))[0]["n"].value))
    examples = [(g.site.urls.href(iri), snap.label(iri) or iri) for iri in meta.get("examples", [])]
    return render_template(
        "home.html", meta=meta, index=entities_by_index(), claims=claims,
        quads=snap.quads, release=snap.version, examples=examples,
        saved=sorted(g.site.saved.values(), key=lambda q: q.title))


@bp.route("/index/<kind>")
def kind_index(kind: str):
    if kind not in INDEXES:
        raise NotFound(f"there is no index '{kind}'; try one of {', '.join(INDEXES)}")
    return render_template("index.html", kind=kind, title=INDEXES[kind].title,
                           items=entities_by_index().get(kind, []))


@bp.route("/query")
def query_page():
    saved = sorted(g.site.saved.values(), key=lambda q: q.title)
    chosen = request.args.get("example")
    text = request.args.get("query")
    if chosen and chosen in g.site.saved:
        text = g.site.saved[chosen].text
    # A permalink (`?query=`) runs its query when the page opens; an example only loads.
    return render_template("query.html", query=text, saved=saved,
                           run=bool(request.args.get("query")))


@bp.route("/health")
def health():
    snap = g.site.snapshot()
    return jsonify({"status": "ok", "release": snap.version, "quads": snap.quads})


@bp.app_template_global()
def reader_language() -> str:
    return negotiate_language(request.headers.get("Accept-Language"), ["en", "az", "ru"])
