"""The Flask application factory. Configuration comes in as an argument; nothing at import time."""

from __future__ import annotations

import json
import logging

from flask import Flask, Response, g, render_template, request
from werkzeug.exceptions import HTTPException

from ..config import Config
from ..errors import MemorialGraphError
from .conneg import negotiate
from .snapshot import Site

log = logging.getLogger(__name__)


def create_app(config: Config, store_factory=None) -> Flask:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.config["MEMORIAL_GRAPH"] = config
    app.json.ensure_ascii = False
    site = Site(config, store_factory)
    app.extensions["memorial_graph"] = site

    from . import (
        dataset_description,
        dumps,
        linked_data,
        pages,
        query_editor,
        saved_queries,
        search,
        sitemap,
        sparql,
    )

    for module in (sparql, linked_data, pages, dataset_description, dumps, sitemap, saved_queries,
                   search, query_editor):
        module.init_app(app)

    @app.before_request
    def _snapshot():
        g.site = site

    @app.context_processor
    def _template_globals():
        return {"urls": site.urls, "indexes": pages.INDEXES}

    @app.after_request
    def _cors(response: Response) -> Response:
        response.headers.setdefault("Access-Control-Allow-Origin", "*")
        response.headers.setdefault("Access-Control-Expose-Headers",
                                    "ETag, Link, Content-Location, X-Query-Timeout, "
                                    "X-Result-Max-Bytes")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    @app.errorhandler(MemorialGraphError)
    def _typed(error: MemorialGraphError):
        return error_response(error.status, error.message,
                              successor=getattr(error, "successor", None))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        message = error.description or error.name
        if error.code == 413:
            message = (f"the request body is larger than this endpoint's limit of "
                       f"{config.max_body_bytes:,} bytes")
        response = error_response(error.code or 500, message)
        if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):  # pragma: no cover - a bug; say so plainly and log it
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal error; it has been logged")

    return app


def error_response(status: int, message: str, successor: str | None = None) -> Response:
    """An error in the negotiated format: HTML for browsers, JSON or plain text otherwise."""
    try:
        fmt = negotiate(("text", "html", "json"), request.headers.get("Accept"))
    except MemorialGraphError:
        fmt = None
    name = fmt.name if fmt else "text"
    if name == "html":
        body = render_template("error.html", status=status, message=message, successor=successor)
        response = Response(body, status=status, mimetype="text/html")
    elif name == "json":
        payload = {"status": status, "error": message}
        if successor:
            payload["successor"] = successor
        response = Response(json.dumps(payload, ensure_ascii=False), status=status,
                            mimetype="application/json")
    else:
        text = message + (f"\nsuccessor: {successor}" if successor else "") + "\n"
        response = Response(text, status=status, mimetype="text/plain")
    if successor:
        response.headers["Link"] = f'<{successor}>; rel="successor-version"'
    response.headers["Vary"] = "Accept"
    return response

