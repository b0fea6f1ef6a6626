"""The front's shared cache, as an HTTP cache would behave (RFC 9111): what it keeps, which
requests it answers, and how it tells variants apart and stays within its bytes."""

from __future__ import annotations

from memorial_graph.web.response_cache import ResponseCache, request_allows, storable

SHAREABLE = [("Content-Type", "text/turtle"), ("ETag", '"abc"'),
             ("Cache-Control", "public, max-age=300"), ("Vary", "Accept, Accept-Language")]


def headers_of(**values):
    low = {k.replace("_", "-").lower(): v for k, v in values.items()}
    return lambda name: low.get(name)


def test_keeps_public_answers_with_an_etag_and_reports_what_they_vary_on():
    assert storable(200, SHAREABLE) == ("accept", "accept-language")


def test_does_not_keep_what_a_shared_cache_must_not():
    assert storable(404, SHAREABLE) is None
    assert storable(200, [h for h in SHAREABLE if h[0] != "ETag"]) is None
    assert storable(200, [("ETag", '"a"'), ("Cache-Control", "no-store")]) is None
    assert storable(200, [("ETag", '"a"'), ("Cache-Control", "public, no-cache")]) is None
    assert storable(200, [("ETag", '"a"'), ("Cache-Control", "private, max-age=60")]) is None
    assert storable(200, [*SHAREABLE, ("Set-Cookie", "lang=az")]) is None
    assert storable(200, [*SHAREABLE, ("Vary", "*")]) is None
    assert storable(200, [("ETag", '"a"')]) is None          # not marked public


def test_requests_that_go_past_the_cache():
    assert request_allows("GET", headers_of(accept="text/turtle"))
    assert not request_allows("POST", headers_of())
    assert not request_allows("GET", headers_of(cache_control="no-cache"))
    assert not request_allows("GET", headers_of(cache_control="max-age=0"))
    assert not request_allows("GET", headers_of(pragma="no-cache"))
    assert not request_allows("GET", headers_of(if_none_match='"abc"'))
    assert not request_allows("GET", headers_of(range="bytes=0-10"))
    assert not request_allows("GET", headers_of(authorization="Basic eDp5"))


def test_variants_are_kept_apart_by_the_headers_named_in_vary():
    cache = ResponseCache(1 << 20)
    turtle, jsonld = headers_of(accept="text/turtle"), headers_of(accept="application/ld+json")
    cache.put("/doc/x", "", turtle, 200, SHAREABLE, b"turtle", ("accept",))
    assert cache.get("/doc/x", "", jsonld) is None
    cache.put("/doc/x", "", jsonld, 200, SHAREABLE, b"json-ld", ("accept",))
    assert cache.get("/doc/x", "", turtle)[2] == b"turtle"
    assert cache.get("/doc/x", "", jsonld)[2] == b"json-ld"
    assert cache.get("/doc/x", "page=2", turtle) is None   # another query string


def test_headers_about_one_client_are_not_replayed():
    cache = ResponseCache(1 << 20)
    ask = headers_of(accept="application/sparql-results+json")
    cache.put("/sparql", "query=ASK", ask, 200,
              [*SHAREABLE, ("RateLimit", '"query-time";r=59;t=1')], b"{}", ("accept",))
    kept = dict(cache.get("/sparql", "query=ASK", ask)[1])
    assert "RateLimit" not in kept and kept["ETag"] == '"abc"'


def test_stays_within_its_bytes_dropping_the_least_recently_used():
    cache = ResponseCache(64 * 1024)
    get = headers_of()
    for n in range(100):
        cache.put(f"/doc/{n}", "", get, 200, SHAREABLE, b"x" * 4000, ())
        assert cache.size <= cache.max_bytes
    assert cache.get("/doc/0", "", get) is None
    assert cache.get("/doc/99", "", get) is not None
    assert len(cache.vary) == len(cache.entries)      # nothing kept for dropped paths


def test_a_path_whose_vary_changes_forgets_its_old_variants():
    cache = ResponseCache(1 << 20)
    en = headers_of(accept="text/html", accept_language="en")
    cache.put("/", "", en, 200, SHAREABLE, b"old", ("accept",))
    cache.put("/", "", en, 200, SHAREABLE, b"new", ("accept", "accept-language"))
    assert cache.get("/", "", en)[2] == b"new"
    assert len(cache.entries) == 1


# ------------------------------------------------------------------ the real server
import json  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.parse  # noqa: E402
import urllib.request  # noqa: E402

import pytest  # noqa: E402

from memorial_graph.build import build  # noqa: E402
from memorial_graph.config import Config  # noqa: E402
from tests.conftest import MONUMENT, copy_project  # noqa: E402
from tests.server import running_server  # noqa: E402

JSON_RESULTS = "application/sparql-results+json"


def get(url: str, **headers):
    try:
        return urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30)
    except urllib.error.HTTPError as error:
        return error


def sparql(base: str, query: str) -> str:
    return f"{base}/sparql?{urllib.parse.urlencode({'query': query})}"


@pytest.fixture(scope="module")
def server(config):
    # One web worker: each worker keeps its own answers, so that a repeated request is
    # answered by the worker that kept it.
    with running_server(config.project_dir, workers=1) as base:
        yield base


def test_a_repeated_get_query_is_shared_and_revalidates(server):
    url = sparql(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    first = get(url, Accept=JSON_RESULTS)
    assert first.status == 200
    assert "public" in first.headers["Cache-Control"] and first.headers["ETag"]
    body = first.read()
    second = get(url, Accept=JSON_RESULTS)
    assert second.read() == body and second.headers["ETag"] == first.headers["ETag"]
    # A kept answer cost no query time: it says nothing of this client's budget.
    assert "RateLimit" not in second.headers and "RateLimit-Policy" in second.headers
    assert get(url, Accept=JSON_RESULTS, **{"If-None-Match": first.headers["ETag"]}).status == 304


def test_no_cache_runs_the_query_again(server):
    url = sparql(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?class }")
    get(url, Accept=JSON_RESULTS).read()
    fresh = get(url, Accept=JSON_RESULTS, **{"Cache-Control": "no-cache"})
    assert fresh.status == 200 and "RateLimit" in fresh.headers     # it ran, and was charged
    saved = (f"{server}/queries/claims-about-entity?"
             f"{urllib.parse.urlencode({'entity': MONUMENT})}")
    get(saved, Accept=JSON_RESULTS).read()
    assert "RateLimit" not in get(saved, Accept=JSON_RESULTS).headers
    assert "RateLimit" in get(saved, Accept=JSON_RESULTS, Pragma="no-cache").headers


def test_answers_that_change_from_run_to_run_are_never_kept(server):
    url = sparql(server, "SELECT (RAND() AS ?r) (STRUUID() AS ?u) WHERE {}")
    answers = set()
    for _ in range(3):
        response = get(url, Accept=JSON_RESULTS)
        assert "public" not in response.headers.get("Cache-Control", "")
        assert "ETag" not in response.headers
        answers.add(response.read())
    assert len(answers) == 3


def test_variants_of_one_url_never_mix(server):
    url = f"{server}/doc/{MONUMENT}"
    for _ in range(2):
        for accept, media in (("text/turtle", "text/turtle"),
                              ("application/ld+json", "application/ld+json"),
                              ("application/n-triples", "application/n-triples")):
            response = get(url, Accept=accept)
            assert response.headers["Content-Type"].startswith(media), accept
            body = response.read()
            if media == "application/ld+json":
                json.loads(body)
            else:
                assert b"@prefix" in body or b"<https://" in body


def test_a_new_release_is_answered_afresh(tmp_path):
    project = copy_project(tmp_path / "project")
    config = Config.for_project(project)
    build(config)
    query = 'ASK { ?s ?p ?note FILTER(STR(?note) = "a note added for the second release") }'
    with running_server(project) as base:
        url = sparql(base, query)
        assert json.loads(get(url, Accept=JSON_RESULTS).read())["boolean"] is False
        assert json.loads(get(url, Accept=JSON_RESULTS).read())["boolean"] is False
        events = project / "data" / "entities" / "events.yaml"
        text = events.read_text(encoding="utf-8")
        old = "The night of 25 to 26 February 1992."
        assert old in text
        events.write_text(text.replace(old, "a note added for the second release"),
                          encoding="utf-8")
        build(config)
        deadline = time.monotonic() + 10
        while json.loads(get(url, Accept=JSON_RESULTS).read())["boolean"] is False:
            assert time.monotonic() < deadline, "the kept answer outlived its release"
            time.sleep(0.3)
