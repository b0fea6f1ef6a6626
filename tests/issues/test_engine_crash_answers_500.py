"""Defect (issue 9): "Crashes answer 500: 5,000 nested `(` in a FILTER segfaults the engine;
`?X <p>* ?Y ORDER BY ?Y` panics in pyoxigraph 0.5.13 ("comparison function does not correctly
implement a total order")."

Deep nesting is refused with 400 before it reaches the engine; an engine failure is a 500 that
says so (logged with the query), and the query process is replaced: the next query works. The
failure here is a chain of 20,000 additions, which the engine's process dies of (SIGSEGV,
pyoxigraph 0.5.13) though it nests nothing; the ORDER BY panic depends on the order of the
data, and ends the same way (SIGABRT) where it strikes."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.server import running_server

CRASH = "SELECT * { BIND(" + "+".join(["1"] * 20000) + " AS ?x) }"
NESTED = "SELECT * { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"


def _get(base: str, query: str):
    # POSTed: a long query does not fit in a URL (granian answers 414 past a few KiB).
    return urllib.request.urlopen(urllib.request.Request(
        f"{base}/sparql", data=urllib.parse.urlencode({"query": query}).encode()),
                                  timeout=30)


def test_nesting_is_refused_and_an_engine_crash_is_an_engine_failure(built):
    config, _ = built
    with running_server(config.project_dir) as base:
        with pytest.raises(urllib.error.HTTPError) as nested:
            _get(base, NESTED)
        assert nested.value.code == 400 and "nests brackets" in nested.value.read().decode()
        with pytest.raises(urllib.error.HTTPError) as crash:
            _get(base, CRASH)
        assert crash.value.code == 500
        assert "query engine failed on this query" in crash.value.read().decode()
        log = next(config.project_dir.glob(f"server-{urllib.parse.urlparse(base).port}.log"))
        with _get(base, "ASK {}") as r:
            assert b"true" in r.read()
    assert CRASH in log.read_text()          # logged with the query
