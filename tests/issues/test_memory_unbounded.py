"""Defect (issue 9): "No memory bound. `SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i`
reached 5.47 GB RSS in 10 s; at the 30 s default, two would exhaust a 24 GB machine."

Each query process may add only `--query-memory` GiB (RLIMIT_AS): the query ends with a clear
error, its process is replaced, and the site stays up."""

from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.server import running_server

HUNGRY = "SELECT * { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i"


def test_a_query_over_the_memory_limit_ends_with_a_clear_error(built):
    config, _ = built
    with running_server(config.project_dir, "--query-memory", "0.25", "--timeout", "60") as base:
        started = time.monotonic()
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(f"{base}/sparql?" + urllib.parse.urlencode({"query": HUNGRY}),
                                   timeout=90)
        message = info.value.read().decode()
        assert info.value.code == 503
        assert "memory" in message and "0.25 GiB" in message
        assert time.monotonic() - started < 60          # ended by the limit, not the clock
        with urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=10) as r:
            assert b"true" in r.read()
        with urllib.request.urlopen(f"{base}/health", timeout=10) as r:
            assert r.status == 200
