"""Found in review: since the query service stopped telling a web worker when a job that did
not wait in its queue started, the web worker counted the job's time limit from when it sent
the job. A job the service could not read at once, because it was busy elsewhere (opening a new
release read from its on-disk store, a release too large to be held in memory, takes the
service seconds at a million claims), was given up by its web worker before the service had
even started it: the client got `503 the query ran longer than the … time limit` for a query
that ran for no time at all, or had its time limit cut short by however long the service had
been busy.

The web worker keeps no deadline of its own for a job the service has not said it started:
the service counts the time limit from the job's start and tells the worker when it stops it
(a service that dies closes the job's data socket), so a small answer still wakes the worker
once."""

from __future__ import annotations

import time

from memorial_graph.web import query_service
from memorial_graph.web.fair_use import Policy
from memorial_graph.web.query_client import QueryClient
from memorial_graph.web.query_process import Limits

TIMEOUT = 1.0
BUSY = 4.0          # longer than the time limit and the web worker's grace after it


def _handler(job: dict, writer) -> None:
    writer.prepare(200, {"Content-Type": "text/plain"})
    writer.write(b"answered")


def _releases():
    """The first release, then a second one that takes the service BUSY seconds to open (as a
    large release read from its store does) when the first job arrives."""
    calls = []

    def make_handler():
        calls.append(None)
        if len(calls) == 2:
            time.sleep(BUSY)
        return f"release-{min(len(calls), 2)}", _handler

    return make_handler


def test_a_job_started_late_by_a_busy_service_gets_its_whole_time_limit():
    settings = query_service.Settings(pool=1, queue=1, limits=Limits(TIMEOUT, 1 << 30),
                                      fair_use=Policy(60, 60, 3))
    handle = query_service.start(settings, _releases())
    try:
        outcome = QueryClient(handle.socket_path).run({"n": 1}, "a", TIMEOUT, 1 << 20, 1 << 20)
        assert (outcome.status, outcome.body) == (200, b"answered"), outcome.body
    finally:
        handle.stop()
