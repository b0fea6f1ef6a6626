"""`/queries/`: the saved questions (`queries/*.rq`) as a web API, the way grlc serves a
repository of queries: a list, each runnable with its parameters as URL parameters (answers kept
for the release they were computed on, with ETag and 304), its SPARQL text at
`/queries/{name}.rq`, and an OpenAPI 3 description of them all at `/queries/openapi.json`."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, g, jsonify, render_template, request

from ..formats import BOOLEAN_RESULTS, FORMATS, GRAPH_RESULTS, SOLUTION_RESULTS
from ..saved_queries import SavedQuery
from ..saved_queries import get as get_saved
from .conneg import negotiate
from .sparql import answer, format_values, kept_answer

bp = Blueprint("saved_queries", __name__)

OPENAPI_VERSION = "3.1.0"
ANSWERS = {"select": SOLUTION_RESULTS, "ask": BOOLEAN_RESULTS, "construct": GRAPH_RESULTS}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


@bp.route("/queries/")
def saved_index():
    saved = sorted(g.site.saved.values(), key=lambda q: q.title)
    fmt = negotiate(("html", "json"), request.headers.get("Accept"), request.args.get("format"))
    urls = g.site.urls
    if fmt.name == "json":
        return jsonify([{"name": q.name, "title": q.title, "description": q.description,
                         "parameters": [{"name": p.name, "kind": p.kind, "required": not p.optional,
                                         "description": p.description} for p in q.params],
                         "example": q.example, "url": urls.saved_query(q.name),
                         "sparql": urls.saved_query_text(q.name)} for q in saved])
    return render_template("queries.html", saved=saved)


@bp.route("/queries/openapi.json")
def openapi():
    snap = g.site.snapshot()
    body = jsonify(openapi_description(g.site, snap)).get_data()
    return _release_bound(body, "application/json")


@bp.route("/queries/<name>.rq")
def saved_query_text(name: str):
    query = get_saved(g.site.saved, name)
    response = _release_bound(query.text.encode("utf-8"), FORMATS["sparql"].content_type)
    response.headers["Content-Disposition"] = f'inline; filename="{name}.rq"'
    return response


@bp.route("/queries/<name>")
def saved_query(name: str):
    query = get_saved(g.site.saved, name)
    values = {p.name: request.args[p.name] for p in query.params if p.name in request.args}
    wants_page = (not values and "format" not in request.args and "run" not in request.args
                  and request.accept_mimetypes.accept_html)
    if wants_page:
        return render_template("saved_query.html", q=query)
    bindings = query.bind(values, g.site.uris)
    # A saved query with given values has one answer per release: keep it, like documents,
    # and let clients and caches revalidate. `Cache-Control: no-cache` asks for a fresh run.
    key = (name, tuple(sorted(values.items())), request.headers.get("Accept", ""),
           tuple(format_values(request.args)))
    return kept_answer(key, lambda: answer(query.text, bindings=bindings))


def _release_bound(body: bytes, content_type: str) -> Response:
    """A representation that changes only with the release: strong ETag, 304, cacheable."""
    snap = g.site.snapshot()
    response = Response(body, content_type=content_type)
    response.headers["Cache-Control"] = f"public, max-age={g.site.config.cache_seconds}"
    response.headers["Last-Modified"] = snap.last_modified
    response.set_etag(snap.etag(body).strip('"'))
    return response.make_conditional(request)


# ---------------------------------------------------------------------------- OpenAPI
def openapi_description(site, snap) -> dict:
    """An OpenAPI 3 description of every saved query: its path, parameters and answers, and
    the path of its SPARQL text."""
    paths: dict[str, dict] = {}
    for query in sorted(site.saved.values(), key=lambda q: q.name):
        paths[site.urls.saved_query(query.name)] = {"get": _operation(query, site)}
        paths[site.urls.saved_query_text(query.name)] = {"get": {
            "operationId": f"{query.name}-sparql",
            "summary": f"The SPARQL text of “{query.title}”",
            "tags": ["SPARQL text"],
            "responses": {"200": {"description": "The query, with its header of parameters.",
                                  "content": {FORMATS["sparql"].media_type:
                                              {"schema": {"type": "string"}}}},
                          "304": {"description": "Not modified since the ETag sent."}}}}
    collection = snap.meta.get("title", "memorial-graph")
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": f"Saved queries of {collection}",
            "version": snap.version,
            "description": (
                "Each saved question of the collection, runnable with its parameters as URL "
                "parameters. Parameters are bound as RDF terms, never pasted into the query. "
                "An IRI parameter takes a full IRI or the identifier at the end of one of the "
                "collection's IRIs. Answers are negotiated by Accept (or the format "
                "parameter), carry an ETag for the release they were computed on, and answer "
                f"If-None-Match with 304. The SPARQL endpoint itself is {site.urls.sparql()}."),
        },
        "servers": [{"url": "/"}],
        "tags": [{"name": "saved queries"}, {"name": "SPARQL text"}],
        "paths": paths,
    }


def _operation(query: SavedQuery, site) -> dict:
    formats = ANSWERS[query.form]
    parameters = []
    for p in query.params:
        description = p.description or p.name
        if p.kind == "iri":
            description += (" A full IRI, or the identifier at the end of one of this "
                            "collection's IRIs (such as pfft2yk).")
        parameter = {"name": p.name, "in": "query", "required": not p.optional,
                     "description": description, "schema": {"type": "string"}}
        if p.name in query.example:
            parameter["example"] = query.example[p.name]
        parameters.append(parameter)
    parameters.append({
        "name": "format", "in": "query", "required": False,
        "description": "The answer's format, instead of negotiating it with Accept.",
        "schema": {"type": "string", "enum": list(formats)}})
    return {
        "operationId": query.name,
        "summary": query.title,
        "description": f"{query.description}\n\nThe SPARQL: {site.urls.saved_query_text(query.name)}",
        "tags": ["saved queries"],
        "parameters": parameters,
        "responses": {
            "200": {"description": "The answer, in the format asked for.",
                    "content": {FORMATS[f].media_type: {} for f in formats}},
            "304": {"description": "Not modified since the ETag sent (the same release)."},
            "400": {"description": "A parameter is missing, unknown or malformed."},
            "406": {"description": "None of the formats asked for is available."},
        },
    }
