"""Defect (issue 9): "Two runaway queries stall the site. Two concurrent
`SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }`: `/doc/{id}.ttl` fell from
2,340 to 2.0 req/s ... until the time limit."

Queries run in the query service's pool, not in the web workers, so documents go on being
answered while runaways use every query process (and wait in its queue)."""

from __future__ import annotations

import threading
import time
import urllib.parse
import urllib.request

from tests.conftest import MONUMENT
from tests.server import running_server

RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_documents_are_served_while_runaway_queries_run(built):
    config, _ = built
    with running_server(config.project_dir, "--timeout", "20") as base:
        ended = []

        def runaway():
            url = f"{base}/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})
            try:
                urllib.request.urlopen(url, timeout=60).read()
            except OSError:
                pass
            ended.append(time.monotonic())

        threads = [threading.Thread(target=runaway) for _ in range(4)]
        for t in threads:
            t.start()
        time.sleep(1.0)                       # the pool is busy and the queue holds the rest
        started = time.monotonic()
        for _ in range(50):
            with urllib.request.urlopen(f"{base}/doc/{MONUMENT}.ttl", timeout=20) as r:
                assert r.status == 200 and b"oa:hasSource" in r.read()
        served = time.monotonic()
        for t in threads:
            t.join(90)
        # All fifty documents came back long before any runaway query ended.
        assert served - started < 15
        assert ended and served < min(ended)
