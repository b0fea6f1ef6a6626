"""`/sitemap.xml` (an index when the pages are many) and `/robots.txt`."""

from __future__ import annotations

from xml.sax.saxutils import escape

from flask import Blueprint, Flask, Response, g

from ..errors import NotFound
from ..queries import load

bp = Blueprint("sitemap", __name__)
SITEMAP_MAX = 50_000


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


@bp.route("/sitemap.xml")
@bp.route("/sitemap-<int:page>.xml")
def sitemap(page: int | None = None):
    snap = g.site.snapshot()
    idents = snap.memo("sitemap", lambda: sorted({
        g.site.uris.local_id(r["entity"].value) for r in snap.store.select(load("entities-by-class"))
        if g.site.uris.local_id(r["entity"].value)}))
    urls = g.site.urls
    lastmod = snap.created.date().isoformat()
    pages = max(1, -(-len(idents) // SITEMAP_MAX))
    if page is None and pages > 1:
        body = ['<?xml version="1.0" encoding="UTF-8"?>',
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        body += [f"<sitemap><loc>{urls.absolute(urls.sitemap(i))}</loc><lastmod>{lastmod}</lastmod></sitemap>"
                 for i in range(1, pages + 1)]
        body.append("</sitemapindex>")
        return Response("\n".join(body), mimetype="application/xml")
    number = page or 1
    if number < 1 or number > pages:
        raise NotFound(f"there is no sitemap page {number}")
    chunk = idents[(number - 1) * SITEMAP_MAX: number * SITEMAP_MAX]
    body = ['<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    body += [f"<url><loc>{escape(urls.absolute(urls.doc(i)))}</loc><lastmod>{lastmod}</lastmod></url>"
             for i in chunk]
    body.append("</urlset>")
    return Response("\n".join(body), mimetype="application/xml")


@bp.route("/robots.txt")
def robots():
    return Response(f"User-agent: *\nAllow: /\nSitemap: {g.site.urls.sitemap()}\n",
                    mimetype="text/plain")
