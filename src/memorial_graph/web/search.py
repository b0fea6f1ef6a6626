"""`/search`: full-text search over the release's index (names, labels, notes and claim texts),
ignoring case and diacritics, ranked by bm25, filterable by kind, as HTML or JSON
(`/search.json`, or `Accept: application/json`). The index is the release's `search.sqlite`,
written by the build and only read here; its table and folding are `search_schema.py`'s."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field

from flask import Blueprint, Flask, Response, g, render_template, request

from .. import namespaces as ns
from ..errors import BadRequest, NotBuilt, NotFound
from ..search_schema import BM25, TABLE, fold, match_expression, open_index, words
from .conneg import negotiate, negotiate_language
from .i18n import names_preference
from .pages import INDEXES, index_of

bp = Blueprint("search", __name__)

PER_PAGE = 20
MAX_PAGE = 50                  # deeper than 1,000 hits nobody reads; refine the query instead
MAX_QUERY_CHARS = 200
SHOWN_MATCHES = 3
_WORD = re.compile(r"\w+")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


@dataclass
class Hit:
    iri: str
    href: str
    label: str
    cls: str
    class_label: str
    kind: str | None
    score: float
    matches: list[dict] = field(default_factory=list)   # {field, lang, parts: [(text, marked)]}


@dataclass
class Results:
    query: str
    kind: str | None
    page: int
    total: int
    kinds: dict[str, int]            # hits per index, for this query, whatever the filter
    hits: list[Hit]

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, -(-self.total // PER_PAGE))


def _index() -> sqlite3.Connection:
    snap = g.site.snapshot()
    if snap.release is None or not snap.release.search_index.exists():
        raise NotBuilt("search needs the index a release carries (search.sqlite); this "
                       "server reads no release built with one: run `memorial-graph build`")
    return open_index(snap.release.search_index)


def _classes(kind: str | None) -> list[str] | None:
    """The class local names a `kind` stands for: an index's, or a class and its subclasses."""
    if not kind:
        return None
    classes = g.site.snapshot().classes
    if kind in INDEXES:
        return sorted(set().union(*(classes.under(root) for root in INDEXES[kind].roots)))
    if kind in classes.parents:
        return sorted(classes.under(kind))
    raise NotFound(f"there is no kind '{kind}' to search; use one of {', '.join(INDEXES)} "
                   f"or a class of the ontology")


def _marked(text: str, terms: list[str]) -> list[tuple[str, bool]] | None:
    """The text cut into (part, matched) pieces, or None if no word in it matches."""
    parts: list[tuple[str, bool]] = []
    at, found = 0, False
    for m in _WORD.finditer(text):
        folded = words(m.group())
        if any(w.startswith(t) for w in folded for t in terms):
            if m.start() > at:
                parts.append((text[at:m.start()], False))
            parts.append((m.group(), True))
            at, found = m.end(), True
    if at < len(text):
        parts.append((text[at:], False))
    return parts if found else None


def search(query: str, kind: str | None = None, page: int = 1, lang: str = "en") -> Results:
    if match_expression(query) is None:
        return Results(query, kind, page, 0, {}, [])
    classes = _classes(kind)
    snap = g.site.snapshot()
    tree = snap.classes
    con = _index()
    try:
        def count(of: list[str] | None) -> int:
            return con.execute(f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH ?",
                               (match_expression(query, of),)).fetchone()[0]

        # One count per kind: each is a walk of the index (the class is an indexed column).
        kinds = {slug: n for slug in INDEXES if (n := count(_classes(slug)))}
        total = count(classes)
        rows = con.execute(
            f"SELECT iri, class, shown, {BM25} AS score FROM {TABLE} WHERE {TABLE} MATCH ? "
            f"ORDER BY score LIMIT ? OFFSET ?",
            (match_expression(query, classes), PER_PAGE, (page - 1) * PER_PAGE)).fetchall()
    finally:
        con.close()
    terms = words(query)
    hits = []
    for iri, cls, shown, score in rows:
        matches = []
        for fld, text, text_lang in json.loads(shown):
            parts = _marked(text, terms)
            if parts is not None:
                matches.append({"field": fld, "lang": text_lang, "parts": parts, "text": text})
            if len(matches) >= SHOWN_MATCHES:
                break
        class_iri = ns.MG + cls
        hits.append(Hit(iri, g.site.urls.href(iri), snap.label(iri, lang) or iri, cls,
                        snap.property_labels.get(class_iri, cls), index_of(tree, class_iri),
                        round(-score, 4), matches))
    return Results(query, kind, page, total, kinds, hits)


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise BadRequest(f"'page' must be a number from 1 to {MAX_PAGE}")
    return int(raw)


def _respond(ext: str | None):
    fmt = negotiate(("html", "json"), request.headers.get("Accept"),
                    ext or request.args.get("format"))
    query = request.args.get("q", "").strip()
    if len(query) > MAX_QUERY_CHARS:
        raise BadRequest(f"the search text is longer than {MAX_QUERY_CHARS} characters")
    kind = request.args.get("kind") or None
    page = _page_number()
    # A page's names follow the reader's chosen language too; JSON only Accept-Language.
    wanted = names_preference() if fmt.name == "html" else request.headers.get("Accept-Language")
    lang = negotiate_language(wanted, ["en", "az", "ru"])
    if fmt.name == "json" and not query:
        raise BadRequest("give the text to search for: /search.json?q=…")
    results = search(query, kind, page, lang) if query else Results("", kind, 1, 0, {}, [])
    if fmt.name == "json":
        body = json.dumps(_json(results), ensure_ascii=False)
        response = Response(body, content_type="application/json")
    else:
        response = Response(render_template("search.html", results=results, indexes=INDEXES,
                                            folded=fold(query)),
                            content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept, Accept-Language"
    response.headers["Cache-Control"] = f"public, max-age={g.site.config.cache_seconds}"
    return response


def _json(results: Results) -> dict:
    return {
        "query": results.query, "kind": results.kind, "page": results.page,
        "perPage": PER_PAGE, "total": results.total, "kinds": results.kinds,
        "results": [{"iri": h.iri, "href": h.href, "label": h.label, "class": h.cls,
                     "classLabel": h.class_label, "kind": h.kind, "score": h.score,
                     "matches": [{"field": m["field"], "lang": m["lang"], "text": m["text"]}
                                 for m in h.matches]} for h in results.hits],
    }


@bp.route("/search")
def search_page():
    return _respond(None)


@bp.route("/search.<ext>")
def search_with_extension(ext: str):
    return _respond(ext)
