"""HTML for people: home page, an index per kind, the query page."""

from __future__ import annotations

from collections import defaultdict

from flask import Blueprint, Flask, Response, g, render_template, request

from .. import namespaces as ns
from ..conneg import negotiate_language
from ..errors import NotFound
from ..queries import load

bp = Blueprint("pages", __name__)
MG = ns.MG

KINDS = {
    "monuments": ("Monuments and objects", {"Monument", "MonumentPart", "HumanMadeObject",
                                            "Photograph", "Inscription"}),
    "events": ("Events", {"Event", "Commemoration", "Production"}),
    "people": ("People", {"Person"}),
    "groups": ("Groups", {"Group", "MilitaryUnit"}),
    "places": ("Places", {"Place", "Country", "Settlement", "District", "Station"}),
    "concepts": ("Materials and categories", {"Material", "PopulationCategory"}),
    "sources": ("Sources", {"Source", "Article", "WebPage", "List", "Testimony"}),
}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


def kind_of(class_iri: str) -> str | None:
    local = class_iri.removeprefix(MG)
    for slug, (_title, classes) in KINDS.items():
        if local in classes:
            return slug
    return None


def entities_by_kind() -> dict[str, list[tuple[str, str, str]]]:
    """kind -> [(href, label, class label)], computed once per release."""
    snap = g.site.snapshot()

    def make():
        found: dict[str, dict[str, tuple[str, str, str]]] = defaultdict(dict)
        for row in snap.store.select(load("entities-by-class")):
            slug = kind_of(row["class"].value)
            if slug is None:
                continue
            iri = row["entity"].value
            label = snap.label(iri) or (row["label"].value if "label" in row else iri)
            cls = snap.property_labels.get(row["class"].value, ns.compact(row["class"].value))
            found[slug][iri] = (g.site.uris.href(iri), label, cls)
        return {k: sorted(v.values(), key=lambda x: x[1].lower()) for k, v in found.items()}

    return snap.memo("index", make)


@bp.route("/")
def home():
    snap = g.site.snapshot()
    index = entities_by_kind()
    meta = snap.meta
    claims = snap.memo("claims", lambda: int(snap.store.select(load("count-claims"))[0]["n"].value))
    examples = [(g.site.uris.href(iri), snap.label(iri) or iri) for iri in meta.get("examples", [])]
    return render_template(
        "home.html", meta=meta, kinds=KINDS, index=index, claims=claims,
        quads=snap.quads, release=snap.version, examples=examples,
        saved=sorted(g.site.saved.values(), key=lambda q: q.title))


@bp.route("/index/<kind>")
def kind_index(kind: str):
    if kind not in KINDS:
        raise NotFound(f"there is no index '{kind}'; try one of {', '.join(KINDS)}")
    return render_template("index.html", kind=kind, title=KINDS[kind][0],
                           items=entities_by_kind().get(kind, []), kinds=KINDS)


@bp.route("/query")
def query_page():
    saved = sorted(g.site.saved.values(), key=lambda q: q.title)
    chosen = request.args.get("example")
    text = request.args.get("query")
    if chosen and chosen in g.site.saved:
        text = g.site.saved[chosen].text
    return render_template("query.html", query=text, saved=saved)


@bp.app_template_global()
def reader_language() -> str:
    return negotiate_language(request.headers.get("Accept-Language"), ["en", "az", "ru"])


@bp.route("/robots.txt")
def robots():
    return Response("User-agent: *\nAllow: /\nSitemap: /sitemap.xml\n", mimetype="text/plain")
