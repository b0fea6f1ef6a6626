"""`/sitemap.xml` (an index when the pages are many) and `/robots.txt`.

Each entry is the URL its page declares canonical (`<link rel="canonical">`): the home page,
the indexes and every entity's document, absolute on the host serving them. Sitemap pages are
numbered from 0: `/sitemap-0.xml` holds the first 50,000 entries (all of them, when they fit
in one, and then `/sitemap.xml` is that page itself).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from flask import Blueprint, Flask, Response, g

from ..errors import NotFound
from ..queries import load
from .pages import INDEXES

bp = Blueprint("sitemap", __name__)
SITEMAP_MAX = 50_000
XML = "application/xml"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


def _entries() -> list[str]:
    """Every page's canonical URL, in a stable order."""
    site = g.site
    snap = site.snapshot()
    idents = snap.memo("sitemap", lambda: sorted({
        site.uris.local_id(r["entity"].value) for r in snap.store.select(load("entities-by-class"))
        if site.uris.local_id(r["entity"].value)}))
    urls = site.urls
    return ([urls.absolute(urls.home())] + [urls.absolute(urls.index(kind)) for kind in INDEXES]
            + [urls.canonical_page(ident) for ident in idents])


@bp.route("/sitemap.xml")
@bp.route("/sitemap-<int:page>.xml")
def sitemap(page: int | None = None):
    entries = _entries()
    urls = g.site.urls
    lastmod = g.site.snapshot().created.date().isoformat()
    pages = max(1, -(-len(entries) // SITEMAP_MAX))
    if page is None and pages > 1:
        body = ['<?xml version="1.0" encoding="UTF-8"?>',
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
        body += [f"<sitemap><loc>{escape(urls.absolute(urls.sitemap(i)))}</loc>"
                 f"<lastmod>{lastmod}</lastmod></sitemap>" for i in range(pages)]
        body.append("</sitemapindex>")
        return Response("\n".join(body), mimetype=XML)
    number = page or 0
    if not 0 <= number < pages:
        raise NotFound(f"there is no sitemap page {number}; pages are numbered 0 to {pages - 1}")
    chunk = entries[number * SITEMAP_MAX:(number + 1) * SITEMAP_MAX]
    body = ['<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    body += [f"<url><loc>{escape(loc)}</loc><lastmod>{lastmod}</lastmod></url>" for loc in chunk]
    body.append("</urlset>")
    return Response("\n".join(body), mimetype=XML)


@bp.route("/robots.txt")
def robots():
    urls = g.site.urls
    # The Sitemap line takes a full URL (sitemaps.org, "Informing search engine crawlers").
    return Response(f"User-agent: *\nAllow: /\nSitemap: {urls.absolute(urls.sitemap())}\n",
                    mimetype="text/plain")
