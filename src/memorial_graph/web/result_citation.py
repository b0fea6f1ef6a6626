"""Citable query results (the RDA recommendations on citing dynamic data): a saved query run
against a release has a stable URL (release + query + bound parameters,
`/releases/{id}/queries/{name}?...`) and a result hash, and its results page says how to
cite it.

The result hash is the SHA-256 of a canonical form of the answer, whatever format it was
downloaded in: for SELECT the TSV header line and then the rows (terms in N-Triples syntax,
tab-separated), rows sorted; for ASK `true` or `false`; for CONSTRUCT the sorted N-Triples
lines. Every answer also carries `Repr-Digest` (RFC 9530), the hash of its exact bytes.
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Flask, Response, g, request

from ..errors import QueryFailed
from ..saved_queries import get as get_saved
from . import link_header
from .citation import _tex
from .urls import Urls

ENDPOINTS = ("saved_queries.saved_query", "releases.saved_query")


def init_app(app: Flask) -> None:
    app.after_request(_headers)
    app.add_template_global(result_citation)


def canonical_lines(result) -> list[str]:
    if isinstance(result, ox.QueryBoolean):
        return ["true" if bool(result) else "false"]
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = sorted("\t".join("" if s[n] is None else str(s[n]) for n in names) for s in result)
        return ["\t".join("?" + n for n in names), *rows]
    return sorted(str(t) + " ." for t in result)


def canonical_digest(result) -> str:
    lines = canonical_lines(result)
    return hashlib.sha256("".join(line + "\n" for line in lines).encode("utf-8")).hexdigest()


def result_hash(snap, text: str, bindings) -> str:
    """The canonical result hash, computed by a query process under the query time limit."""
    def make():
        from .sparql import run_job

        outcome = run_job(text, None, bindings, result_hash=True)
        if outcome.status != 200 or outcome.body is None:
            raise QueryFailed(outcome.status, (outcome.body or b"").decode("utf-8", "replace")
                              or "the result could not be hashed")
        return "text/plain", outcome.body

    key = ("result-hash", text, tuple(sorted((k.value, str(v)) for k, v in (bindings or {}).items())))
    return snap.cached(key, make).body.decode()


def _pinned_url(name: str, values: dict[str, str]) -> str:
    release = getattr(g.site, "release_id", None) or g.site.snapshot().version
    path = Urls.saved_query(name) if release == "live" else \
        f"/releases/{release}/queries/{name}"
    return path + (f"?{urlencode(sorted(values.items()))}" if values else "")


def _values(query) -> dict[str, str]:
    return {p.name: request.args[p.name] for p in query.params if p.name in request.args}


def _headers(response: Response) -> Response:
    if request.endpoint not in ENDPOINTS or response.status_code != 200 or "site" not in g:
        return response
    name = (request.view_args or {}).get("name", "")
    try:
        query = get_saved(g.site.saved, name)
    except Exception:  # noqa: BLE001 - not a saved query: nothing to add
        return response
    link_header.add(response, [link_header.link(_pinned_url(name, _values(query)), "cite-as")])
    if not response.is_streamed:
        digest = base64.b64encode(hashlib.sha256(response.get_data()).digest()).decode()
        response.headers["Repr-Digest"] = f"sha-256=:{digest}:"
    return response


def result_citation() -> dict | None:
    """For templates/results.html: how to cite the saved-query result being shown."""
    if request.endpoint not in ENDPOINTS:
        return None
    site = g.site
    snap = site.snapshot()
    query = get_saved(site.saved, (request.view_args or {}).get("name", ""))
    values = _values(query)
    url = site.urls.absolute(_pinned_url(query.name, values))
    digest = result_hash(snap, query.text, query.bind(values))
    collection = snap.meta.get("title", "memorial-graph collection")
    publisher = snap.meta.get("publisher", collection)
    bound = "; ".join(f"{k} = {v}" for k, v in sorted(values.items()))
    title = query.title + (f" ({bound})" if bound else "")
    plain = (f"{publisher} ({snap.created.year}). “{title}”, saved query '{query.name}' run "
             f"against release {snap.version} ({snap.created.date().isoformat()}) of "
             f"{collection}. {url}. Result SHA-256 {digest}.")
    note = _tex(f"Saved query {query.name} on {collection}; result SHA-256 {digest}")
    bibtex = (f"@misc{{mg-query-{query.name}-{snap.version.split('-', 1)[0].lower()},\n"
              f"  title = {{{_tex(title)}}},\n  author = {{{{{_tex(publisher)}}}}},\n"
              f"  year = {{{snap.created.year}}},\n  version = {{{snap.version}}},\n"
              f"  url = {{{url}}},\n"
              f"  note = {{{note}}}\n}}")
    return {"url": url, "hash": digest, "release": snap.version, "plain": plain,
            "bibtex": bibtex}
