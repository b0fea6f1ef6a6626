"""FAIR Signposting: typed links on every document and page (`cite-as`, `describedby`,
`type`, `license`, `collection` / `item`), and a linkset per document (RFC 9264, at
`/linkset/{id}`, as `application/linkset+json` or `application/linkset`)."""

from __future__ import annotations

import json

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, g, request

from .. import namespaces as ns
from ..formats import FORMATS, LINKSET, RDF_DOCUMENT, dump_media_type
from ..queries import load
from ..uris import ID_PATTERN
from . import link_header
from .conneg import negotiate
from .linked_data import check_identifier
from .structured_data import schema_types

bp = Blueprint("signposting", __name__)
DOCUMENTS = ("linked_data.document", "releases.document")
ABOUT_PAGE = ns.SCHEMA + "AboutPage"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.after_request(_signpost)


def document_links(ident: str, html: bool) -> list[tuple[str, str, dict]]:
    """(rel, target, attributes) of a document of the site (current or pinned)."""
    site = g.site
    snap = site.snapshot()
    iri = site.uris.entity(ident)
    pinned = getattr(site, "release_id", None)

    def make():
        types = [r["type"].value for r in snap.store.select(
            load("types-of"), {ox.Variable("entity"): ox.NamedNode(iri)})]
        return "application/json", json.dumps(schema_types(snap, types)).encode()

    types = json.loads(snap.cached(("schema-types-of", ident), make).body)
    links: list[tuple[str, str, dict]] = [
        ("cite-as", site.uris.versioned(pinned, ident) if pinned else iri, {})]
    if html:
        links += [("describedby", site.urls.doc(ident, FORMATS[f].extension),
                   {"type": FORMATS[f].media_type}) for f in RDF_DOCUMENT if f != "html"]
        links.append(("type", ABOUT_PAGE, {}))
    links += [("type", t, {}) for t in types]
    if snap.meta.get("license"):
        links.append(("license", snap.meta["license"], {}))
    links.append(("collection", site.urls.home(), {}))
    links.append(("linkset", site.urls.linkset(ident), {"type": FORMATS["linksetjson"].media_type}))
    return links


def home_links() -> list[tuple[str, str, dict]]:
    site = g.site
    snap = site.snapshot()
    urls = site.urls
    links: list[tuple[str, str, dict]] = [("cite-as", site.uris.base, {})]
    links += [("describedby", urls.void(FORMATS[f].extension), {"type": FORMATS[f].media_type})
              for f in RDF_DOCUMENT if f != "html"]
    links += [("type", ns.SCHEMA + "Dataset", {}), ("type", ABOUT_PAGE, {})]
    if snap.meta.get("license"):
        links.append(("license", snap.meta["license"], {}))
    if snap.release is not None:
        links += [("item", urls.dump(name), {"type": dump_media_type(name)})
                  for name in snap.release.manifest.get("dumps", []) if name.endswith(".gz")]
        links.append(("alternate", urls.feed(), {"type": FORMATS["activity"].media_type,
                                                 "title": "change feed"}))
        links.append(("version-history", urls.releases(), {}))
    return links


def _signpost(response: Response) -> Response:
    if "site" not in g or response.status_code not in (200, 304):
        return response
    endpoint = request.endpoint or ""
    try:
        if endpoint in DOCUMENTS:
            ident = (request.view_args or {}).get("name", "").partition(".")[0]
            if not ID_PATTERN.match(ident) or response.mimetype.startswith(("application/x-",
                                                                            "text/x-")):
                return response
            links = document_links(ident, response.mimetype == "text/html")
        elif endpoint == "pages.home":
            links = home_links()
        elif response.mimetype == "text/html":
            links = [("collection", g.site.urls.home(), {})]
            if g.site.snapshot().meta.get("license"):
                links.append(("license", g.site.snapshot().meta["license"], {}))
        else:
            return response
    except Exception:  # noqa: BLE001 - a missing link must never break the answer
        return response
    link_header.add(response, [link_header.link(t, rel, **attrs) for rel, t, attrs in links])
    return response


@bp.route("/linkset/<ident>")
def linkset(ident: str):
    # As /id and /doc answer: 404 for an unknown identifier, 410 with its successor for a
    # retired one (whose triples, owl:deprecated and its successor, are still in the store).
    check_identifier(ident)
    fmt = negotiate(LINKSET, request.headers.get("Accept"), request.args.get("format"))
    urls = g.site.urls
    anchor = urls.absolute(urls.doc(ident))
    links = [(rel, t if "://" in t else urls.absolute(t), attrs)
             for rel, t, attrs in document_links(ident, html=True) if rel != "linkset"]
    if fmt.name == "linksetjson":
        entry: dict = {"anchor": anchor}
        for rel, target, attrs in links:
            entry.setdefault(rel, []).append({"href": target, **attrs})
        body = json.dumps({"linkset": [entry]}, indent=1) + "\n"
    else:
        body = ",\n".join(link_header.link(t, rel, anchor=anchor, **attrs)
                          for rel, t, attrs in links) + "\n"
    response = Response(body, content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    return response
