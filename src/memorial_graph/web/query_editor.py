"""What the query page's editor completes and links, as one JSON document per release: the
project's prefixes, the ontology's classes and properties, where the collection's IRIs have
their pages, the formats results can be downloaded in and the ones the editor asks for. The
editor (YASGUI, bundled under `static/editor/`) reads it instead of asking prefix.cc or LOV,
so nothing leaves the server."""

from __future__ import annotations

import json

from flask import Blueprint, Flask, Response, g, request

from .. import namespaces as ns
from ..formats import FORMATS, GRAPH_RESULTS, SOLUTION_RESULTS
from ..queries import load

bp = Blueprint("query_editor", __name__)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


def vocabulary() -> dict:
    site = g.site
    snap = site.snapshot()

    def make() -> dict:
        terms: dict[str, list[str]] = {"class": [], "property": [ns.RDF + "type"]}
        for row in snap.store.select(load("vocabulary-terms")):
            bucket = terms[row["kind"].value]
            if row["term"].value not in bucket:
                bucket.append(row["term"].value)

        def downloads(names: tuple[str, ...]) -> list[dict]:
            return [{"format": n, "label": FORMATS[n].media_type} for n in names if n != "html"]

        return {
            "prefixes": dict(ns.PREFIXES) | {"id": site.uris.entity("")},
            "classes": sorted(terms["class"]),
            "properties": sorted(terms["property"]),
            # The collection's IRIs have pages here: results link to them, not to the IRI's host.
            "local": [[site.uris.entity(""), site.urls.identifier("")]],
            "downloads": {"select": downloads(SOLUTION_RESULTS),
                          "graph": downloads(GRAPH_RESULTS)},
            # What the editor asks the endpoint for (its results view reads these two).
            "accept": {"select": FORMATS["json"].media_type,
                       "graph": FORMATS["turtle"].media_type},
        }

    return snap.memo("query-vocabulary", make)


@bp.app_template_filter("short_iri")
def short_iri(iri: str) -> str:
    """An IRI as the results show it: `id:pfft2yk`, `skos:prefLabel`, or whole."""
    return ns.compact(iri, vocabulary()["prefixes"])


@bp.route("/query/vocabulary.json")
def vocabulary_json():
    snap = g.site.snapshot()
    body = json.dumps(vocabulary(), ensure_ascii=False).encode("utf-8")
    response = Response(body, content_type="application/json")
    response.headers["Cache-Control"] = f"public, max-age={g.site.config.cache_seconds}"
    response.set_etag(snap.etag(body).strip('"'))
    return response.make_conditional(request)
