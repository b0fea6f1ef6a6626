"""What changed: each release's changelog (`/releases/{id}/changes`: claims and entities
added, changed, withdrawn, identifiers retired; HTML, JSON, RDF) and the change feed for
harvesters (`/changes/`), an Activity Streams 2.0 `OrderedCollection` of pages of Create,
Update and Delete activities per entity document, each naming its release, in the form of
the IIIF Change Discovery API: a harvester reads from the last page back to the release it
already has, and fetches only those documents.

Pages never straddle a release and hold at most PAGE_SIZE activities, so a page, once
published, never changes; a new release only adds pages at the end.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, g, jsonify, render_template, request

from .. import namespaces as ns
from ..errors import NotFound
from ..formats import FORMATS, LISTING
from ..queries import load
from .conneg import negotiate
from .documents import serialize
from .urls import Urls

bp = Blueprint("changes", __name__)
PAGE_SIZE = 500
AS_CONTEXT = "https://www.w3.org/ns/activitystreams"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


# ---------------------------------------------------------------------------- changelogs
@bp.route("/releases/<rid>/changes")
@bp.route("/releases/<rid>/changes.<ext>")
def changelog(rid: str, ext: str | None = None):
    site = g.site
    release = site.archive.get(rid)
    changes = release.changes()
    if changes is None:
        raise NotFound(f"release '{rid}' was made before releases kept a changelog")
    fmt = negotiate(LISTING, request.headers.get("Accept"), ext or request.args.get("format"))
    if fmt.name == "json":
        response = jsonify(changes)
    elif fmt.name == "html":
        snap = site.archive.snapshot(rid)
        response = Response(render_template(
            "changes.html", c=changes, release=release,
            label=lambda ident: snap.label(site.uris.entity(ident)) or ident,
            alternates=[FORMATS[f] for f in LISTING if f not in ("html", "json")]),
            mimetype="text/html")
    else:
        snap = site.archive.snapshot(rid)
        triples = snap.store.construct(load("release-changes"), {
            ox.Variable("release"): ox.NamedNode(site.uris.release(rid))})
        response = Response(serialize(sorted(set(triples), key=str), fmt.name, site.uris),
                            content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    return response


# ---------------------------------------------------------------------------- the feed
def _pages(snap) -> list[tuple[dict, int, int]]:
    """(release, start, end) of every page: a release's activities in pages of PAGE_SIZE."""
    def make():
        out = []
        for row in snap.store.select(load("feed-releases")):
            release = {"iri": row["release"].value, "id": row["id"].value,
                       "sequence": int(row["sequence"].value), "issued": row["issued"].value}
            activities = _activities(snap, release["iri"])
            for start in range(0, max(len(activities), 1), PAGE_SIZE):
                out.append((release, start, min(start + PAGE_SIZE, len(activities))))
        return out

    return snap.memo("feed-pages", make)


def _activities(snap, release_iri: str) -> list[tuple[str, str]]:
    return snap.memo(("feed", release_iri), lambda: [
        (r["kind"].value.rsplit("#", 1)[-1], r["object"].value)
        for r in snap.store.select(load("feed-activities"),
                                   {ox.Variable("release"): ox.NamedNode(release_iri)})])


def _collection_ref(urls) -> dict:
    return {"id": urls.absolute(urls.feed()), "type": "OrderedCollection"}


@bp.route("/changes/")
def feed():
    site = g.site.archive.site
    snap = site.snapshot()
    urls = site.urls
    pages = _pages(snap)
    total = sum(end - start for _r, start, end in pages)
    body = {"@context": AS_CONTEXT, **_collection_ref(urls),
            "summary": "What changed in each release of the collection: Create, Update and "
                       "Delete of entity documents. Read from `last` back through `prev` to "
                       "the release you have.", "totalItems": total}
    if pages:
        body["first"] = {"id": urls.absolute(urls.feed_page(0)), "type": "OrderedCollectionPage"}
        body["last"] = {"id": urls.absolute(urls.feed_page(len(pages) - 1)),
                        "type": "OrderedCollectionPage"}
    return _activity_json(body)


@bp.route("/changes/<int:page>")
def feed_page(page: int):
    site = g.site.archive.site
    snap = site.snapshot()
    urls = site.urls
    pages = _pages(snap)
    if not 0 <= page < len(pages):
        raise NotFound(f"the change feed has pages 0 to {len(pages) - 1}")
    release, start, end = pages[page]
    before = sum(e - s for _r, s, e in pages[:page])
    items = []
    for kind, obj in _activities(snap, release["iri"])[start:end]:
        ident = site.uris.local_id(obj) or obj
        target = {"id": obj, "type": "Object"}
        if kind != "Delete":
            target["url"] = urls.absolute(Urls.memento(release["id"], ident))
        items.append({"type": kind, "object": target, "endTime": release["issued"],
                      "context": {"id": release["iri"], "type": "Dataset",
                                  "name": release["id"],
                                  "url": urls.absolute(urls.release(release["id"]))}})
    body = {"@context": AS_CONTEXT, "id": urls.absolute(urls.feed_page(page)),
            "type": "OrderedCollectionPage", "partOf": _collection_ref(urls),
            "startIndex": before, "orderedItems": items}
    if page > 0:
        body["prev"] = {"id": urls.absolute(urls.feed_page(page - 1)),
                        "type": "OrderedCollectionPage"}
    if page + 1 < len(pages):
        body["next"] = {"id": urls.absolute(urls.feed_page(page + 1)),
                        "type": "OrderedCollectionPage"}
    return _activity_json(body)


def _activity_json(body: dict) -> Response:
    response = Response(json.dumps(body, ensure_ascii=False, indent=1) + "\n",
                        content_type=FORMATS["activity"].content_type)
    response.headers["Cache-Control"] = f"public, max-age={g.site.config.cache_seconds}"
    return response


def void_triples(dataset: ox.NamedNode) -> list[ox.Triple]:
    """For /void: the change feed and the releases, so harvesters find both."""
    site = g.site.archive.site
    urls = site.urls
    feed_node = ox.NamedNode(urls.absolute(urls.feed()))
    out = [ox.Triple(dataset, ox.NamedNode(ns.RDFS + "seeAlso"), feed_node),
           ox.Triple(feed_node, ox.NamedNode(ns.RDF + "type"),
                     ox.NamedNode(ns.AS + "OrderedCollection")),
           ox.Triple(feed_node, ox.NamedNode(ns.DCTERMS + "format"),
                     ox.Literal(FORMATS["activity"].media_type))]
    for release in site.archive.releases():
        out.append(ox.Triple(dataset, ox.NamedNode(ns.DCAT + "hasVersion"),
                             ox.NamedNode(site.uris.release(release.id))))
    return out
