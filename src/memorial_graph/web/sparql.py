"""`/sparql`: the SPARQL 1.1 Protocol (query operation), read-only, bounded in time and size."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, current_app, g, render_template, request
from werkzeug.datastructures import MultiDict

from ..errors import (
    BadRequest,
    EvaluationFailed,
    Forbidden,
    MemorialGraphError,
    QueryFailed,
    UnsupportedMediaType,
)
from ..formats import (
    BOOLEAN_RESULTS,
    FORMAT_PARAMETERS,
    FORMATS,
    GRAPH_RESULTS,
    SOLUTION_RESULTS,
    jsonld_content_type,
)
from ..sparql_text import repeatable
from ..store import Dataset, EmbeddedStore
from . import query_jobs
from .conneg import negotiate
from .dataset_description import service_description
from .query_client import ClientGone
from .query_policy import check_service
from .response_cache import PER_CLIENT

bp = Blueprint("sparql", __name__)
HTML_ROW_CAP = 1000


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise BadRequest(f"the request has {len(values)} '{name}' parameters; send exactly one")
    return values[0] if values else None


def _decoded(raw: bytes, where: str) -> MultiDict:
    """URL-encoded parameters, decoded as UTF-8 strictly: the Protocol's queries are UTF-8,
    and a byte that is not must be refused, not silently replaced (as Werkzeug does)."""
    params: MultiDict = MultiDict()
    for pair in raw.split(b"&"):
        if not pair:
            continue
        key, _, value = pair.partition(b"=")
        try:
            params.add(*(unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
                         for part in (key, value)))
        except UnicodeDecodeError as exc:
            raise BadRequest(f"the {where} is not valid UTF-8 (byte {exc.start} of "
                             f"{unquote_to_bytes(key).decode('utf-8', 'replace')!r})") from None
    return params


def _charset_is_utf8() -> None:
    charset = request.mimetype_params.get("charset")
    if charset is not None and charset.strip().lower() not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"the request body is in {charset}; SPARQL requests are "
                                   f"UTF-8 (send charset=utf-8, or no charset)")


def _operation() -> tuple[str | None, Dataset, list[str]]:
    """The query, dataset and format parameters of a protocol request; raise the protocol's
    status otherwise. Parameters in the URL count for every method (a form POST may carry
    `default-graph-uri` there)."""
    args = _decoded(request.query_string, "URL's query string")
    if request.method == "GET":
        params = args
    else:
        mimetype = request.mimetype
        if not mimetype:
            raise BadRequest("a POST to /sparql needs a Content-Type: "
                             "application/x-www-form-urlencoded or application/sparql-query")
        if mimetype == "application/sparql-update":
            raise Forbidden("updates are not accepted on this public, read-only endpoint")
        if mimetype == "application/x-www-form-urlencoded":
            _charset_is_utf8()
            form = _decoded(request.get_data(cache=True), "form body")
            params = MultiDict(list(args.items(multi=True)) + list(form.items(multi=True)))
        elif mimetype == "application/sparql-query":
            _charset_is_utf8()
            try:
                text = request.get_data(cache=False).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise BadRequest(f"the query is not valid UTF-8 text: {exc}") from exc
            if "query" in args or "update" in args:
                raise BadRequest("a direct POST carries the query in its body; do not also "
                                 "send a 'query' or 'update' parameter")
            return text, _dataset(args), format_values(args)
        else:
            raise UnsupportedMediaType(f"Content-Type {mimetype} is not a SPARQL request; use "
                                       f"application/x-www-form-urlencoded or "
                                       f"application/sparql-query")
    query = _one(params.getlist("query"), "query")
    update = _one(params.getlist("update"), "update")
    if query is not None and update is not None:
        raise BadRequest("the request has both 'query' and 'update'; send one operation")
    if update is not None:
        raise Forbidden("updates are not accepted on this public, read-only endpoint")
    return query, _dataset(params), format_values(params)


def _dataset(params) -> Dataset:
    return Dataset(tuple(params.getlist("default-graph-uri")),
                   tuple(params.getlist("named-graph-uri")))


def format_values(params) -> list[str]:
    """The values of every format parameter, in the order they are read."""
    return [value for name in FORMAT_PARAMETERS for value in params.getlist(name)]


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    query, dataset, formats = _operation()
    if query is None:
        if request.method == "POST":
            raise BadRequest("the request has neither 'query' nor 'update'")
        return service_description()
    if not query.strip():
        raise BadRequest("the query is empty")
    if request.method == "GET" and repeatable(query):
        # The same GET over the same release has the same answer: keep it and let clients
        # and caches share and revalidate it (as the Wikidata Query Service does for GETs).
        # Relative IRIs resolve against this endpoint's URL, on the host asked.
        key = ("sparql", query, dataset, request.headers.get("Accept", ""), tuple(formats),
               request.base_url)
        return kept_answer(key, lambda: answer(query, dataset, formats=formats,
                                               base_iri=request.base_url))
    return answer(query, dataset, formats=formats, base_iri=request.base_url)


def kept_answer(key: tuple, run: Callable[[], Response]) -> Response:
    """An answer that cannot change while the release is served: kept per worker and
    release (least recently used out), sent with a strong ETag, `Cache-Control: public` and
    Last-Modified, and 304 to a matching If-None-Match. `Cache-Control: no-cache` runs the
    query again. HTML result pages are not kept here (their words follow the reader's
    language); the front's shared cache tells them apart by their Vary."""
    snap = g.site.snapshot()
    fresh = "no-cache" in request.headers.get("Cache-Control", "").lower() or \
        "no-cache" in request.headers.get("Pragma", "").lower()
    hit = None if fresh else snap.recall(key)
    if hit is None:
        response = run()
        if response.status_code != 200 or response.is_streamed:
            return response
        body = response.get_data()
        # What the headers say of this client's budget is not replayed to others.
        shared = [(k, v) for k, v in response.headers.items() if k.lower() not in PER_CLIENT]
        if response.mimetype == "text/html":
            etag = snap.etag(body, response.content_type)
        else:
            etag = snap.remember(key, response.status_code, shared, body)[3]
        hit = (response.status_code, list(response.headers.items()), body, etag)
    status, headers, body, etag = hit
    response = Response(body, status=status, headers=headers)
    response.headers["Cache-Control"] = f"public, max-age={g.site.config.cache_seconds}"
    response.headers["Last-Modified"] = snap.last_modified
    response.set_etag(etag.strip('"'))
    return response.make_conditional(request)


def run_job(query: str, dataset: Dataset | None = None, bindings=None,
            formats: list[str] | None = None, base_iri: str | None = None, **options):
    """Run a query in the server's query pool for the current request; the outcome as the
    query process wrote it. `formats` are the request's format parameters; relative IRIs
    resolve against `base_iri`; `options` ride along in the job (`result_hash=True`: the
    canonical hash of the result instead of the result)."""
    config = current_app.config["MEMORIAL_GRAPH"]
    limits = {"X-Query-Timeout": f"{config.query_timeout:g}",
              "X-Result-Max-Bytes": str(config.max_result_bytes)}
    job = {
        "query": query,
        "bindings": {v.value: ["iri" if isinstance(t, ox.NamedNode) else "literal", t.value]
                     for v, t in (bindings or {}).items()},
        "default": list(dataset.default_graphs) if dataset else [],
        "named": list(dataset.named_graphs) if dataset else [],
        "base": base_iri,
        "accept": request.headers.get("Accept"),
        "explicit": formats if formats is not None else format_values(request.args),
        "limits": limits,
        "allow_service": list(config.service_allowlist),
        **options,
    }
    snap = g.site.snapshot()
    if snap.release is not None:
        # The release this answer will be labelled with (its ETag, its kept copy): a past one
        # (`/releases/{id}/sparql`), or the current one as this worker sees it, which the
        # query service may not have switched to yet (or may have already left).
        job["release"], job["release_dir"] = snap.release.id, str(snap.release.path)
    return query_jobs.run(job)


def answer(query: str, dataset: Dataset | None = None, bindings=None,
           formats: list[str] | None = None, base_iri: str | None = None) -> Response:
    """Run a query in the server's query pool and answer in the negotiated format."""
    try:
        outcome = run_job(query, dataset, bindings, formats, base_iri)
    except ClientGone:
        # The client hung up: its query was stopped (not left running for nobody).
        return Response(b"", status=499)
    headers = {**query_jobs.fair_use_headers(outcome), **outcome.headers}
    content_type = headers.pop("Content-Type", "text/plain; charset=utf-8")
    if headers.pop("X-Error", None) and outcome.body is not None:
        raise QueryFailed(outcome.status, outcome.body.decode("utf-8").strip(), headers)
    if headers.pop("X-Render", None) == "html" and outcome.body is not None:
        page = render_template("results.html", query=query, **json.loads(outcome.body))
        return Response(page, status=outcome.status, headers=headers,
                        content_type="text/html; charset=utf-8")
    if outcome.body is not None:
        return Response(outcome.body, status=outcome.status, headers=headers,
                        content_type=content_type)
    if outcome.length is not None:
        headers["Content-Length"] = str(outcome.length)
    return Response(outcome.stream, status=outcome.status, headers=headers,
                    content_type=content_type, direct_passthrough=True)


@lru_cache(maxsize=2)
def _past_store(release_dir: str) -> EmbeddedStore:
    """Another release's store than the one the process holds (a past one, or the current one
    while the service switches to it), opened read-only in the query process that needs it
    (the two most recently asked for stay open)."""
    return EmbeddedStore(ox.Store.read_only(str(Path(release_dir) / "store")), held="disk")


def _handler(snap, urls):
    """What the helper process does with a job: query the snapshot's store and serialise the
    result. It runs outside any request, so HTML and error pages are rendered by the caller."""

    def handle(job: dict, writer) -> None:
        limits = job["limits"]
        try:
            check_service(job["query"], tuple(job.get("allow_service", ())))
            bindings = {ox.Variable(name): ox.NamedNode(value) if kind == "iri"
                        else ox.Literal(value) for name, (kind, value) in job["bindings"].items()}
            dataset = Dataset(tuple(job["default"]), tuple(job["named"]))
            mine = snap.release is None or job.get("release") in (None, snap.release.id)
            store = snap.store if mine else _past_store(job["release_dir"])
            result = store.query(job["query"], bindings or None, dataset=dataset,
                                 base_iri=job.get("base"))
            if job.get("result_hash"):
                from .result_citation import canonical_digest

                writer.prepare(200, {"Content-Type": "text/plain; charset=utf-8", **limits})
                writer.write(canonical_digest(result).encode())
                return
            accept, explicit = job["accept"], job["explicit"]
            if isinstance(result, ox.QuerySolutions):
                fmt = negotiate(SOLUTION_RESULTS, accept, explicit)
            elif isinstance(result, ox.QueryBoolean):
                fmt = negotiate(BOOLEAN_RESULTS, accept, explicit)
            else:
                fmt = negotiate(GRAPH_RESULTS, accept, explicit)
            if fmt.name == "html":
                writer.prepare(200, {"Content-Type": "application/json", "X-Render": "html",
                                     "Vary": "Accept", **limits})
                writer.write(json.dumps(_html_rows(result, urls)).encode())
                return
            # pyoxigraph streams JSON-LD in expanded form; say so in the media type.
            content_type = jsonld_content_type("expanded") if fmt.name == "jsonld" \
                else fmt.content_type
            writer.prepare(200, {"Content-Type": content_type, "Vary": "Accept", **limits})
            _write_result(writer, result, fmt.name)
        except MemorialGraphError as exc:
            _fail(writer, exc.status, exc.message, limits)
        except (OSError, RuntimeError, ValueError, TypeError) as exc:
            # The text parsed (a parse error is a MalformedQuery, 400): evaluating it failed.
            error = EvaluationFailed(str(exc))
            _fail(writer, error.status, error.message, limits)

    return handle


def _fail(writer, status: int, message: str, limits: dict) -> None:
    if not writer.reset():
        raise RuntimeError(message)  # mid-answer: the web worker, reading it whole, says so
    writer.prepare(status, {"Content-Type": "text/plain; charset=utf-8", "X-Error": "1", **limits})
    writer.write((message + "\n").encode())


def _write_result(writer, result, fmt: str) -> None:
    if isinstance(result, ox.QuerySolutions):
        result.serialize(writer, FORMATS[fmt].results)
    elif isinstance(result, ox.QueryBoolean):
        writer.write(result.serialize(format=FORMATS[fmt].results))
    else:
        ox.serialize(result, writer, FORMATS[fmt].rdf)


def _html_rows(result, urls) -> dict:
    """The first HTML_ROW_CAP rows of a result, as data for templates/results.html."""
    if isinstance(result, ox.QueryBoolean):
        return {"boolean": bool(result), "columns": [], "rows": [], "truncated": False,
                "cap": HTML_ROW_CAP}
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        rows_of = ([solution[c] for c in columns] for solution in result)
    else:
        columns = ["subject", "predicate", "object"]
        rows_of = ([t.subject, t.predicate, t.object] for t in result)
    rows, truncated = [], False
    for terms in rows_of:
        if len(rows) >= HTML_ROW_CAP:
            truncated = True
            break
        rows.append([_cell(t, urls) for t in terms])
    return {"boolean": None, "columns": columns, "rows": rows, "truncated": truncated,
            "cap": HTML_ROW_CAP}


def _cell(term, urls) -> dict | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return {"text": term.value, "href": urls.href(term.value)}
    if isinstance(term, ox.Literal):
        return {"text": term.value, "lang": term.language}
    return {"text": str(term)}
