"""`/releases/`: every kept release, listed (HTML, JSON, RDF) and addressable.

A release's own copies live under `/releases/{id}/`: its identifiers and documents (the
mementos of Memento), VoID, dumps, SPARQL endpoint and saved queries. Each is the ordinary
view, run over a site pinned to that release (`archive.PinnedSite`), so a past release is
served by the same code, with the same bytes and ETags, as when it was current.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, g, jsonify, render_template, request

from .. import namespaces as ns
from ..formats import FORMATS, LISTING, RDF_DOCUMENT
from ..release import Release
from . import dataset_description, dumps, linked_data, saved_queries, sparql
from .conneg import negotiate
from .documents import serialize

bp = Blueprint("releases", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


@bp.before_request
def _pin() -> None:
    """Requests under /releases/{id}/ see that release as the site."""
    rid = (request.view_args or {}).get("rid")
    if rid is not None:
        g.site = g.site.archive.pinned(rid)


def pinned_release() -> str | None:
    """The release a request is pinned to, if any (for the Memento and signposting links)."""
    return getattr(g.get("site"), "release_id", None)


# ---------------------------------------------------------------------------- descriptions
def summary(release: Release, current: str | None) -> dict:
    urls = g.site.urls
    return {"id": release.id, "sequence": release.sequence,
            "created": release.manifest["created"], "predecessor": release.predecessor,
            "content_sha256": release.manifest.get("content_sha256"),
            "claims": release.manifest.get("claims"), "quads": release.manifest.get("quads"),
            "changes": release.manifest.get("changes"), "current": release.id == current,
            "iri": g.site.uris.release(release.id), "url": urls.release(release.id),
            "sparql": urls.release(release.id) + "sparql",
            "void": urls.release(release.id) + "void",
            "dumps": urls.release(release.id) + "dumps/",
            "changelog": urls.release_changes(release.id)}


def release_triples(release: Release) -> list[ox.Triple]:
    """A release as a `dcat:Dataset` and `prov:Entity`: date, content hash, claim count,
    predecessor, and where its copies are."""
    site = g.site
    uris, urls = site.uris, site.urls
    r = ox.NamedNode(uris.release(release.id))
    D, DC, P, X = ns.DCAT, ns.DCTERMS, ns.PROV, ns.XSD

    def t(p, o):
        return ox.Triple(r, ox.NamedNode(p), o)

    def integer(n):
        return ox.Literal(str(n), datatype=ox.NamedNode(X + "integer"))

    base = urls.absolute(urls.release(release.id))
    out = [t(ns.RDF + "type", ox.NamedNode(D + "Dataset")),
           t(ns.RDF + "type", ox.NamedNode(P + "Entity")),
           t(DC + "identifier", ox.Literal(release.id)), t(D + "version", ox.Literal(release.id)),
           t(DC + "issued", ox.Literal(release.manifest["created"],
                                       datatype=ox.NamedNode(X + "dateTime"))),
           t(ns.MG + "sequence", integer(release.sequence)),
           t(D + "isVersionOf", ox.NamedNode(uris.dataset)),
           t(D + "landingPage", ox.NamedNode(base)),
           t(ns.VOID + "sparqlEndpoint", ox.NamedNode(base + "sparql")),
           t(ns.RDFS + "seeAlso", ox.NamedNode(base + "void"))]
    if release.manifest.get("content_sha256"):
        out.append(t(ns.MG + "contentHash", ox.Literal(release.manifest["content_sha256"])))
    if release.manifest.get("claims") is not None:
        out.append(t(ns.MG + "claimCount", integer(release.manifest["claims"])))
    if release.predecessor:
        out.append(t(P + "wasRevisionOf", ox.NamedNode(uris.release(release.predecessor))))
        out.append(t(D + "previousVersion", ox.NamedNode(uris.release(release.predecessor))))
    for name in release.manifest.get("dumps", []):
        if name.endswith(".gz"):
            out.append(t(ns.VOID + "dataDump", ox.NamedNode(base + "dumps/" + name)))
    return out


def _listing(template: str, data, triples: list[ox.Triple], **context) -> Response:
    fmt = negotiate(LISTING, request.headers.get("Accept"), request.args.get("format"))
    if fmt.name == "json":
        response = jsonify(data)
    elif fmt.name == "html":
        response = Response(render_template(template, **context), mimetype="text/html")
    else:
        response = Response(serialize(sorted(triples, key=str), fmt.name, g.site.uris),
                            content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/releases/")
def releases_index():
    site = g.site
    releases = site.archive.releases()
    current = site.snapshot().version
    rows = [summary(r, current) for r in reversed(releases)]
    triples = [tr for r in releases for tr in release_triples(r)]
    ds = ox.NamedNode(site.uris.dataset)
    triples += [ox.Triple(ds, ox.NamedNode(ns.DCAT + "hasVersion"),
                          ox.NamedNode(site.uris.release(r.id))) for r in releases]
    return _listing("releases.html", {"current": current, "releases": rows}, triples,
                    rows=rows, current=current,
                    alternates=[FORMATS[f] for f in RDF_DOCUMENT if f != "html"])


@bp.route("/releases/<rid>/")
def release_page(rid: str):
    snap = g.site.snapshot()
    release = snap.release
    current = g.site.archive.site.snapshot().version
    info = summary(release, current)
    return _listing("release.html", info, release_triples(release), r=info,
                    collection=snap.meta.get("title", "memorial-graph collection"))


# ---------------------------------------------------------------------------- a release's copies
@bp.route("/releases/<rid>/id/<ident>")
def identifier(rid: str, ident: str):
    return linked_data.identifier(ident)


@bp.route("/releases/<rid>/doc/<path:name>")
def document(rid: str, name: str):
    return linked_data.document(name)


@bp.route("/releases/<rid>/void")
@bp.route("/releases/<rid>/void.<ext>")
def void(rid: str, ext: str | None = None):
    return dataset_description.void(ext)


@bp.route("/releases/<rid>/sparql", methods=["GET", "POST"])
def endpoint(rid: str):
    return sparql.endpoint()


@bp.route("/releases/<rid>/queries/")
def saved_index(rid: str):
    return saved_queries.saved_index()


@bp.route("/releases/<rid>/queries/<name>")
def saved_query(rid: str, name: str):
    return saved_queries.saved_query(name)


@bp.route("/releases/<rid>/dumps/")
def release_dumps(rid: str):
    return dumps.dumps()


@bp.route("/releases/<rid>/dumps/<name>")
def dump_file(rid: str, name: str):
    return dumps.dump_file(name)
