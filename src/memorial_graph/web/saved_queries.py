"""`/queries/`: the saved questions (`queries/*.rq`) as a list and runnable with bound values;
each answer is kept for the release it was computed on (ETag, 304)."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, g, jsonify, render_template, request

from ..saved_queries import get as get_saved
from .conneg import negotiate
from .sparql import answer

bp = Blueprint("saved_queries", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


@bp.route("/queries/")
def saved_index():
    saved = sorted(g.site.saved.values(), key=lambda q: q.title)
    fmt = negotiate(("html", "json"), request.headers.get("Accept"), request.args.get("format"))
    if fmt.name == "json":
        return jsonify([{"name": q.name, "title": q.title, "description": q.description,
                         "parameters": [{"name": p.name, "kind": p.kind,
                                         "description": p.description} for p in q.params],
                         "example": q.example, "url": g.site.urls.saved_query(q.name)} for q in saved])
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
