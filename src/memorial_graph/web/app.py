"""The Flask application factory. Configuration comes in as an argument; nothing at import time."""

from __future__ import annotations

import json
import logging
from urllib.parse import unquote_to_bytes

from flask import Flask, Response, g, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from ..config import Config
from ..errors import BadRequest, MemorialGraphError
from . import query_jobs
from .archive import Archive
from .conneg import negotiate
from .front import BODY_ERROR
from .headers import CORS_ALLOW_HEADERS, CORS_EXPOSE_HEADERS, CORS_MAX_AGE
from .query_client import QueryClient
from .snapshot import RequestSite, Site

log = logging.getLogger(__name__)

# On every response (pages above all): scripts, styles and images only from this site, no
# inline script or style (the templates have none), no plugins, no framing by other sites,
# forms post only here, and other sites see only our origin as the referrer.
SECURITY_HEADERS = (
    ("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
                                "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                                "form-action 'self'; frame-ancestors 'none'"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
)
# What every response carries unless its view said otherwise: CORS for scripts on other
# origins, no content sniffing, and the security headers.
EVERY_RESPONSE = (("Access-Control-Allow-Origin", "*"),
                  ("Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS),
                  ("X-Content-Type-Options", "nosniff"), *SECURITY_HEADERS)


# An error page's heading, in the reader's language (the message itself is the same in every
# format, so it stays in English and the page marks it so).
STATUS_HEADINGS = {
    400: _l("Bad request"), 403: _l("Forbidden"), 404: _l("Not found"),
    405: _l("Method not allowed"), 406: _l("Not acceptable"), 408: _l("Request timeout"),
    410: _l("Gone"), 413: _l("Request too large"), 414: _l("Address too long"),
    415: _l("Unsupported media type"), 422: _l("Unprocessable content"),
    429: _l("Too many requests"), 500: _l("Internal error"), 503: _l("Service unavailable"),
    504: _l("Gateway timeout"),
}


def create_app(config: Config, store_factory=None) -> Flask:
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.config["MEMORIAL_GRAPH"] = config
    app.json.ensure_ascii = False
    site = Site(config, store_factory)
    site.archive = Archive(site)
    app.extensions["memorial_graph"] = site
    # The query service `serve` started, or one of our own on first use (test client, --get).
    app.extensions[query_jobs.EXTENSION] = QueryClient(
        config.query_socket, start=lambda: query_jobs.start_service(config, site).socket_path)

    from . import (
        changes,
        dataset_description,
        dumps,
        i18n,
        linked_data,
        memento,
        pages,
        query_editor,
        releases,
        result_citation,
        saved_queries,
        search,
        signposting,
        sitemap,
        sparql,
        structured_data,
    )

    i18n.init_app(app)
    for module in (sparql, linked_data, pages, dataset_description, dumps, sitemap, saved_queries,
                   releases, memento, signposting, changes, structured_data, result_citation,
                   search, query_editor):
        module.init_app(app)

    @app.before_request
    def _snapshot():
        g.site = RequestSite(site)      # one release for the whole request
        problem = request.environ.get(BODY_ERROR)
        if problem is not None:         # the front gave up reading the body (413, 408)
            raise problem
        _check_text(request)

    @app.context_processor
    def _template_globals():
        # interface_language: the request's, that of every page's own words (<html lang>).
        return {"urls": site.urls, "indexes": pages.INDEXES,
                "interface_language": i18n.interface_language()}

    @app.after_request
    def _cors(response: Response) -> Response:
        headers = response.headers
        # Each header lookup reads the whole list: look once, then add what is missing.
        present = {name.lower() for name in headers.keys()}
        for name, value in EVERY_RESPONSE:
            if name.lower() not in present:
                headers.add(name, value)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            # A CORS preflight (Flask answers OPTIONS on every route, listing its methods in
            # Allow): say which methods and request headers a script on another origin may use.
            headers["Access-Control-Allow-Methods"] = headers.get("Allow", "GET, HEAD, OPTIONS")
            headers["Access-Control-Allow-Headers"] = CORS_ALLOW_HEADERS
            headers["Access-Control-Max-Age"] = CORS_MAX_AGE
        return response

    @app.errorhandler(MemorialGraphError)
    def _typed(error: MemorialGraphError):
        response = error_response(error.status, error.message,
                                  successor=getattr(error, "successor", None))
        response.headers.update(getattr(error, "headers", {}))
        return response

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


def _check_text(req) -> None:
    """Every parameter must be UTF-8 text: a byte sequence that is not would otherwise be
    replaced silently (U+FFFD) and answered as if the client had asked something else."""
    raw = [req.query_string]
    if req.mimetype == "application/x-www-form-urlencoded":
        raw.append(req.get_data(cache=True))
    for data in raw:
        if data and (b"%" in data or not data.isascii()):
            try:
                unquote_to_bytes(data.replace(b"+", b" ")).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise BadRequest(f"a parameter of the request is not valid UTF-8 text "
                                 f"(byte {exc.start} of its decoded value)") from None


def error_response(status: int, message: str, successor: str | None = None) -> Response:
    """An error in the negotiated format: HTML for browsers, JSON or plain text otherwise."""
    try:
        fmt = negotiate(("text", "html", "json"), request.headers.get("Accept"))
    except MemorialGraphError:
        fmt = None
    name = fmt.name if fmt else "text"
    if name == "html":
        body = render_template("error.html", status=status, message=message, successor=successor,
                               heading=STATUS_HEADINGS.get(status))
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

