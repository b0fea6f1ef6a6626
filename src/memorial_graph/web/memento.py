"""Memento (RFC 7089) for every document: `/doc/{id}` and `/id/{id}` are Original Resources,
`/timegate/{id}` their TimeGate (honouring `Accept-Datetime`), `/timemap/{id}` their TimeMap
(link format or JSON), and `/releases/{release}/doc/{id}` the mementos, one per kept release
that held the document.

Which releases held a document comes from the current release's history graph (one query per
identifier, kept per release): an identifier retired or withdrawn later keeps its mementos.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, g, jsonify, request

from .. import namespaces as ns
from ..errors import BadRequest, NotFound
from ..formats import FORMATS, TIMEMAP
from ..queries import load
from ..release import Release
from ..uris import ID_PATTERN
from . import link_header
from .conneg import negotiate
from .urls import Urls

bp = Blueprint("memento", __name__)
APPEAR = {ns.AS + "Create", ns.AS + "Update", ns.MG + "ClaimAdded", ns.MG + "ClaimChanged"}
ORIGINALS = ("linked_data.identifier", "linked_data.document")
MEMENTOS = ("releases.identifier", "releases.document")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.after_request(_links)


@dataclass(frozen=True)
class Memento:
    release: Release

    @property
    def datetime(self) -> datetime:
        return self.release.created

    @property
    def http_date(self) -> str:
        return format_datetime(self.release.created, usegmt=True)


_known: OrderedDict = OrderedDict()
_lock = threading.Lock()


def mementos(ident: str) -> list[Memento]:
    """The kept releases that held the document of `ident`, oldest first."""
    site = g.site.archive.site      # the current release's history, even under /releases/
    snap = site.snapshot()
    releases = site.archive.releases()
    key = (snap.version, tuple(r.id for r in releases), ident)
    with _lock:
        if key in _known:
            _known.move_to_end(key)
            return _known[key]
    iri = site.uris.entity(ident)
    rows = snap.store.select(load("history-of"), {ox.Variable("iri"): ox.NamedNode(iri)})
    events = sorted((int(r["sequence"].value), r["change"].value) for r in rows)
    found = []
    for release in releases:
        state = [kind for seq, kind in events if seq <= release.sequence]
        if (state and state[-1] in APPEAR) or (not events and release.id == snap.version
                                               and snap.store.exists(iri)):
            found.append(Memento(release))
    with _lock:
        _known[key] = found
        while len(_known) > 10_000:
            _known.popitem(last=False)
    return found


def _required(ident: str) -> list[Memento]:
    if not ID_PATTERN.match(ident):
        raise NotFound(f"'{ident}' is not an identifier of this collection")
    found = mementos(ident)
    if not found:
        raise NotFound(f"no release kept here holds '{ident}'")
    return found


def choose(found: list[Memento], accept_datetime: str | None) -> Memento:
    """The memento a TimeGate redirects to: the last one at or before the datetime asked
    for (the first one for a datetime before them all); the latest without one."""
    if not accept_datetime:
        return found[-1]
    try:
        wanted = parsedate_to_datetime(accept_datetime)
    except (TypeError, ValueError):
        raise BadRequest(f"Accept-Datetime must be an HTTP date such as "
                         f"'Tue, 20 Jun 2000 18:02:59 GMT' (got {accept_datetime!r})") from None
    if wanted.tzinfo is None:
        raise BadRequest("Accept-Datetime must be in GMT")
    before = [m for m in found if m.datetime <= wanted]
    return before[-1] if before else found[0]


@bp.route("/timegate/<ident>")
def timegate(ident: str):
    found = _required(ident)
    chosen = choose(found, request.headers.get("Accept-Datetime"))
    urls = g.site.urls
    response = Response(status=302)
    response.headers["Location"] = Urls.memento(chosen.release.id, ident)
    response.headers["Vary"] = "accept-datetime"
    link_header.add(response, [
        link_header.link(Urls.doc(ident), "original"),
        link_header.link(urls.timemap(ident), "timemap",
                         type=FORMATS["linkformat"].media_type)])
    return response


@bp.route("/timemap/<name>")
def timemap(name: str):
    ident, dot, ext = name.partition(".")
    found = _required(ident)
    fmt = negotiate(TIMEMAP, request.headers.get("Accept"), ext if dot else request.args.get("format"))
    urls = g.site.urls
    a = urls.absolute
    original, gate = a(Urls.doc(ident)), a(urls.timegate(ident))
    items = [(a(Urls.memento(m.release.id, ident)), m) for m in found]
    if fmt.name == "json":
        def item(uri, m):
            return {"datetime": m.datetime.isoformat().replace("+00:00", "Z"), "uri": uri,
                    "release": m.release.id}
        response = jsonify({
            "original_uri": original, "timegate_uri": gate,
            "timemap_uri": {"link_format": a(urls.timemap(ident)),
                            "json_format": a(urls.timemap(ident, "json"))},
            "mementos": {"first": item(*items[0]), "last": item(*items[-1]),
                         "list": [item(u, m) for u, m in items]}})
    else:
        lines = [link_header.link(original, "original"), link_header.link(gate, "timegate"),
                 link_header.link(a(urls.timemap(ident)), "self",
                                  type=FORMATS["linkformat"].media_type,
                                  from_=found[0].http_date, until=found[-1].http_date)]
        for n, (uri, m) in enumerate(items):
            rel = " ".join(["first"] * (n == 0) + ["last"] * (n == len(items) - 1) + ["memento"])
            lines.append(link_header.link(uri, rel, datetime=m.http_date))
        response = Response(",\n".join(lines) + "\n", content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    return response


def _ident_and_ext() -> tuple[str | None, str | None]:
    args = request.view_args or {}
    if "ident" in args:
        return args["ident"], None
    if "name" in args:
        ident, dot, ext = args["name"].partition(".")
        return ident, (ext if dot else None)
    return None, None


def _links(response: Response) -> Response:
    """Memento headers on originals (links to their TimeGate and TimeMap) and on mementos
    (`Memento-Datetime`, original, TimeGate, TimeMap, first/last/prev/next memento)."""
    endpoint = request.endpoint
    if endpoint not in ORIGINALS + MEMENTOS or "site" not in g:
        return response
    ident, ext = _ident_and_ext()
    if ident is None or not ID_PATTERN.match(ident) or not g.site.archive.enabled:
        return response
    try:
        found = mementos(ident)
    except Exception:  # noqa: BLE001 - never let a header turn an answer into an error
        return response
    if not found:
        return response
    links = [link_header.link(Urls.timegate(ident), "timegate"),
             link_header.link(Urls.timemap(ident), "timemap",
                              type=FORMATS["linkformat"].media_type)]
    if endpoint in MEMENTOS and response.status_code in (200, 303, 304):
        rid = getattr(g.site, "release_id", None)
        at = next((n for n, m in enumerate(found) if m.release.id == rid), None)
        if at is None:
            return response
        response.headers["Memento-Datetime"] = found[at].http_date
        links.insert(0, link_header.link(Urls.doc(ident, ext), "original"))
        neighbours = [("first memento", 0), ("last memento", len(found) - 1),
                      ("prev memento", at - 1), ("next memento", at + 1)]
        for rel, n in neighbours:
            if 0 <= n < len(found):
                links.append(link_header.link(Urls.memento(found[n].release.id, ident, ext), rel,
                                              datetime=found[n].http_date))
    link_header.add(response, links)
    return response
