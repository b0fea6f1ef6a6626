"""For harvesters: /void (VoID + DCAT), /sitemap.xml, /dumps/, /queries/, /health."""

from __future__ import annotations

import hashlib
from xml.sax.saxutils import escape

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, g, jsonify, render_template, request, send_file

from .. import namespaces as ns
from ..conneg import FORMATS, negotiate
from ..errors import NotBuilt, NotFound
from ..queries import load
from ..render import serialize
from ..savedqueries import get as get_saved
from .sparql import answer

bp = Blueprint("harvest", __name__)
VOID_FORMATS = ("turtle", "html", "jsonld", "rdfxml", "ntriples")
DUMPS = {
    "dataset.nq.gz": "application/n-quads",
    "dataset.trig.gz": "application/trig",
    "dataset.nq": "application/n-quads",
    "dataset.trig": "application/trig",
    "dataset.ttl": "text/turtle",
    "dataset.jsonld": "application/ld+json",
    "SHA256SUMS": "text/plain",
}
SITEMAP_MAX = 50_000


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


def _host() -> str:
    return request.host_url.rstrip("/")


# ---------------------------------------------------------------------------- VoID and DCAT
def void_triples() -> list[ox.Triple]:
    site = g.site
    snap = site.snapshot()
    base = site.uris
    host = _host()
    meta = snap.meta
    ds = ox.NamedNode(base.dataset)
    V, D, DC, X = ns.VOID, ns.DCAT, ns.DCTERMS, ns.XSD

    def n(iri):
        return ox.NamedNode(iri)

    def integer(value):
        return ox.Literal(str(value), datatype=n(X + "integer"))

    def t(s, p, o):
        return ox.Triple(s, n(p), o)

    stats = snap.memo("void-stats", lambda: snap.store.select(load("void-stats"))[0])
    out = [
        t(ds, ns.RDF + "type", n(V + "Dataset")),
        t(ds, ns.RDF + "type", n(D + "Dataset")),
        t(ds, DC + "title", ox.Literal(meta.get("title", "memorial-graph collection"), language="en")),
        t(ds, V + "triples", integer(snap.quads)),
        t(ds, V + "entities", integer(stats["entities"].value)),
        t(ds, V + "classes", integer(stats["classes"].value)),
        t(ds, V + "properties", integer(stats["properties"].value)),
        t(ds, V + "distinctSubjects", integer(stats["subjects"].value)),
        t(ds, V + "sparqlEndpoint", n(f"{host}/sparql")),
        t(ds, V + "uriSpace", ox.Literal(base.entity(""))),
        t(ds, V + "rootResource", n(f"{host}/")),
        t(ds, V + "vocabulary", n(ns.MG)),
        t(ds, V + "vocabulary", n(ns.CRM)),
        t(ds, V + "vocabulary", n(ns.SCHEMA)),
        t(ds, V + "vocabulary", n(ns.OA)),
        t(ds, V + "vocabulary", n(ns.SKOS)),
    ]
    if meta.get("description"):
        out.append(t(ds, DC + "description", ox.Literal(meta["description"], language="en")))
    if meta.get("license"):
        out.append(t(ds, DC + "license", n(meta["license"])))
    if meta.get("publisher"):
        out.append(t(ds, DC + "publisher", ox.Literal(meta["publisher"])))
    if snap.release:
        out.append(t(ds, DC + "modified", ox.Literal(snap.created.isoformat(),
                                                      datatype=n(X + "dateTime"))))
        out.append(t(ds, ns.OWL + "versionInfo", ox.Literal(snap.version)))
        sums = snap.release.manifest.get("checksums", {})
        for name in ("dataset.nq.gz", "dataset.trig.gz"):
            url = n(f"{host}/dumps/{name}")
            dist = n(f"{base.dataset.split('#')[0]}#dist-{name.split('.')[1]}")
            out += [
                t(ds, V + "dataDump", url),
                t(ds, D + "distribution", dist),
                t(dist, ns.RDF + "type", n(D + "Distribution")),
                t(dist, D + "downloadURL", url),
                t(dist, D + "mediaType", ox.Literal(DUMPS[name])),
                t(dist, D + "compressFormat", ox.Literal("application/gzip")),
            ]
            if name in sums:
                out.append(t(dist, "http://spdx.org/rdf/terms#checksumValue",
                             ox.Literal(sums[name])))
    for iri in meta.get("examples", []):
        out.append(t(ds, V + "exampleResource", n(iri)))
    service = n(f"{host}/sparql")
    out += [t(ds, D + "accessService", service),
            t(service, ns.RDF + "type", n(D + "DataService")),
            t(service, D + "endpointURL", service)]
    for row in snap.memo("void-classes", lambda: snap.store.select(load("void-classes"))):
        digest = hashlib.sha1(row["class"].value.encode()).hexdigest()[:12]
        part = n(f"{base.dataset.split('#')[0]}#class-{digest}")
        out += [t(ds, V + "classPartition", part), t(part, V + "class", row["class"]),
                t(part, V + "entities", integer(row["n"].value))]
    return out


@bp.route("/void")
@bp.route("/void.<ext>")
def void(ext: str | None = None):
    fmt = negotiate(VOID_FORMATS, request.headers.get("Accept"), ext or request.args.get("format"))
    triples = void_triples()
    if fmt.name == "html":
        rows = [(ns.compact(t.subject.value), ns.compact(t.predicate.value),
                 t.object.value) for t in triples]
        return render_template("void.html", rows=rows)
    return Response(serialize(triples, fmt.name, g.site.uris),
                    content_type=FORMATS[fmt.name].media_type, headers={"Vary": "Accept"})


# ---------------------------------------------------------------------------- sitemap
@bp.route("/sitemap.xml")
@bp.route("/sitemap-<int:page>.xml")
def sitemap(page: int | None = None):
    snap = g.site.snapshot()
    idents = snap.memo("sitemap", lambda: sorted(
        g.site.uris.local_id(r["entity"].value) for r in snap.store.select(load("entities-by-class"))
        if g.site.uris.local_id(r["entity"].value)))
    idents = sorted(set(idents))
    host = _host()
    lastmod = snap.created.date().isoformat()
    pages = max(1, -(-len(idents) // SITEMAP_MAX))
    if page is None and pages > 1:
        body = ['<?xml version="1.0" encoding="UTF-8"?>',
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        body += [f"<sitemap><loc>{host}/sitemap-{i}.xml</loc><lastmod>{lastmod}</lastmod></sitemap>"
                 for i in range(1, pages + 1)]
        body.append("</sitemapindex>")
        return Response("\n".join(body), mimetype="application/xml")
    number = page or 1
    if number < 1 or number > pages:
        raise NotFound(f"there is no sitemap page {number}")
    chunk = idents[(number - 1) * SITEMAP_MAX: number * SITEMAP_MAX]
    body = ['<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    body += [f"<url><loc>{escape(host + g.site.uris.doc_path(i))}</loc><lastmod>{lastmod}</lastmod></url>"
             for i in chunk]
    body.append("</urlset>")
    return Response("\n".join(body), mimetype="application/xml")


# ---------------------------------------------------------------------------- dumps
@bp.route("/dumps/")
def dumps():
    snap = g.site.snapshot()
    if snap.release is None:
        raise NotBuilt("this server has no release (it serves a file or a remote store)")
    sums = snap.release.manifest.get("checksums", {})
    files = [{"name": name, "url": f"/dumps/{name}", "media_type": media,
              "bytes": snap.release.artifact(name).stat().st_size, "sha256": sums.get(name)}
             for name, media in DUMPS.items() if snap.release.artifact(name).exists()]
    fmt = negotiate(("html", "json"), request.headers.get("Accept"), request.args.get("format"))
    if fmt.name == "json":
        return jsonify({"release": snap.version, "files": files})
    return render_template("dumps.html", files=files, release=snap.version)


@bp.route("/dumps/<name>")
def dump_file(name: str):
    snap = g.site.snapshot()
    if snap.release is None or name not in DUMPS or not snap.release.artifact(name).exists():
        raise NotFound(f"there is no dump named '{name}'")
    sums = snap.release.manifest.get("checksums", {})
    response = send_file(snap.release.artifact(name), mimetype=DUMPS[name],
                         as_attachment=name.endswith(".gz"), conditional=True,
                         etag=sums.get(name, True), last_modified=snap.created)
    if name.endswith(".gz"):
        response.headers["Content-Type"] = "application/gzip"
    if name in sums:
        response.headers["Digest"] = f"sha-256={sums[name]}"
    return response


# ---------------------------------------------------------------------------- saved queries
@bp.route("/queries/")
def saved_index():
    saved = sorted(g.site.saved.values(), key=lambda q: q.title)
    fmt = negotiate(("html", "json"), request.headers.get("Accept"), request.args.get("format"))
    if fmt.name == "json":
        return jsonify([{"name": q.name, "title": q.title, "description": q.description,
                         "parameters": [{"name": p.name, "kind": p.kind,
                                         "description": p.description} for p in q.params],
                         "example": q.example, "url": f"/queries/{q.name}"} for q in saved])
    return render_template("queries.html", saved=saved)


@bp.route("/queries/<name>")
def saved_query(name: str):
    query = get_saved(g.site.saved, name)
    values = {p.name: request.args[p.name] for p in query.params if p.name in request.args}
    wants_page = (not values and "format" not in request.args and "run" not in request.args
                  and request.accept_mimetypes.accept_html)
    if wants_page:
        return render_template("saved_query.html", q=query)
    bindings = query.bind(values)
    # A saved query with given values has one answer per release: keep it, like documents,
    # and let clients and caches revalidate. `Cache-Control: no-cache` asks for a fresh run.
    snap = g.site.snapshot()
    key = (name, tuple(sorted(values.items())), request.headers.get("Accept", ""),
           request.args.get("format") or request.args.get("output") or "")
    fresh = "no-cache" in request.headers.get("Cache-Control", "").lower()
    hit = None if fresh else snap.recall(key)
    if hit is None:
        response = answer(query.text, bindings=bindings)
        if response.status_code != 200 or response.is_streamed:
            return response
        hit = snap.remember(key, response.status_code, list(response.headers.items()),
                            response.get_data())
    status, headers, body, etag = hit
    response = Response(body, status=status, headers=headers)
    response.headers["Cache-Control"] = f"public, max-age={g.site.config.cache_seconds}"
    response.headers["Last-Modified"] = snap.last_modified
    response.set_etag(etag.strip('"'))
    return response.make_conditional(request)


# ---------------------------------------------------------------------------- health
@bp.route("/health")
def health():
    snap = g.site.snapshot()
    return jsonify({"status": "ok", "release": snap.version, "quads": snap.quads})
