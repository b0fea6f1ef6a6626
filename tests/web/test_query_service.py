"""The query service with a stand-in handler: processes reused, killed at the time limit and
replaced, a hang-up stops the query, a full queue refuses at once, fair use per client."""

from __future__ import annotations

import os
import threading
import time

import pytest

from memorial_graph.web import query_service
from memorial_graph.web.fair_use import Policy
from memorial_graph.web.query_client import ClientGone, QueryClient
from memorial_graph.web.query_process import Limits


def _handler(job: dict, writer) -> None:
    if job.get("sleep"):
        time.sleep(job["sleep"])
    writer.prepare(200, {"Content-Type": "text/plain"})
    writer.write(f"{job['n']} from {os.getpid()}".encode())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture()
def service():
    settings = query_service.Settings(pool=1, queue=1, limits=Limits(1.0, 1 << 30),
                                      fair_use=Policy(60, 60, 3))
    handle = query_service.start(settings, lambda: ("r1", _handler))
    yield handle, QueryClient(handle.socket_path)
    handle.stop()


def _run(client, n, who="a", sleep=0.0, **kw):
    return client.run({"n": n, "sleep": sleep}, who, 1.0, 1 << 20, 1 << 20, **kw)


def test_one_process_answers_query_after_query_and_a_timed_out_one_is_killed_and_replaced(service):
    _handle, client = service
    answers = [_run(client, n).body.decode() for n in range(5)]
    assert [a.split(" from ")[0] for a in answers] == ["0", "1", "2", "3", "4"]
    pids = {a.split(" from ")[1] for a in answers}
    assert len(pids) == 1 and pids != {str(os.getpid())}
    first = int(pids.pop())

    started = time.monotonic()
    outcome = _run(client, 9, sleep=30)
    assert outcome.status == 503 and b"1 s time limit" in outcome.body
    assert time.monotonic() - started < 5
    assert not _alive(first)
    again = _run(client, 10).body.decode()
    assert again.startswith("10 from ") and again.split(" from ")[1] != str(first)


def test_a_client_that_hangs_up_stops_its_query(service):
    _handle, client = service
    pid = int(_run(client, 0).body.decode().split(" from ")[1])
    stops = []
    threading.Timer(0.3, lambda: stops[0]()).start()
    with pytest.raises(ClientGone):
        _run(client, 1, sleep=30, on_cancel=stops.append)
    deadline = time.monotonic() + 3
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)
    assert _run(client, 2).body.startswith(b"2 from")


def test_a_full_queue_refuses_at_once_and_fair_use_counts_per_client(service):
    _handle, client = service
    results = {}

    def slow(name):
        results[name] = _run(client, 0, who=name, sleep=0.8)

    threads = [threading.Thread(target=slow, args=(name,)) for name in ("x", "y")]
    for t in threads:
        t.start()
        time.sleep(0.2)          # x runs, y waits in the queue (of one)
    started = time.monotonic()
    refused = _run(client, 3, who="z")
    assert refused.status == 503 and "Retry-After" in refused.headers
    assert time.monotonic() - started < 0.5
    for t in threads:
        t.join()
    assert results["x"].status == results["y"].status == 200


def test_fair_use_refuses_a_client_over_its_budget():
    settings = query_service.Settings(pool=2, queue=2, limits=Limits(2.0, 1 << 30),
                                      fair_use=Policy(0.5, 60, 4))
    handle = query_service.start(settings, lambda: ("r", _handler))
    client = QueryClient(handle.socket_path)
    try:
        assert client.run({"n": 1, "sleep": 0.7}, "greedy", 2, 1 << 20, 1 << 20).status == 200
        over = client.run({"n": 2}, "greedy", 2, 1 << 20, 1 << 20)
        assert over.status == 429 and int(over.headers["Retry-After"]) >= 1
        assert client.run({"n": 3}, "someone else", 2, 1 << 20, 1 << 20).status == 200
    finally:
        handle.stop()


def test_a_queued_job_s_time_limit_counts_from_its_start_not_from_its_wait():
    """Three jobs wait behind a running one for a single process: the last waits about three
    times the 1 s limit (plus the client's grace), yet each runs within it and is answered."""
    settings = query_service.Settings(pool=1, queue=3, limits=Limits(1.0, 1 << 30),
                                      fair_use=Policy(60, 60, 8))
    handle = query_service.start(settings, lambda: ("r", _handler))
    client = QueryClient(handle.socket_path)
    results = {}

    def job(n):
        results[n] = client.run({"n": n, "sleep": 0.9}, f"c{n}", 1.0, 1 << 20, 1 << 20)

    try:
        threads = [threading.Thread(target=job, args=(n,)) for n in range(4)]
        started = time.monotonic()
        for t in threads:
            t.start()
            time.sleep(0.05)
        for t in threads:
            t.join()
        assert time.monotonic() - started > 3.4           # they ran one after another
        assert {n: r.status for n, r in results.items()} == {0: 200, 1: 200, 2: 200, 3: 200}
        assert results[3].body.startswith(b"3 from")
    finally:
        handle.stop()
