"""The query helper process: reused from query to query, killed at the time limit, replaced."""

from __future__ import annotations

import os
import time

import pytest

from memorial_graph.errors import QueryTimeout
from memorial_graph.web import query_process


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


def test_one_helper_answers_query_after_query_and_a_timed_out_one_is_killed_and_replaced():
    helper = query_process.Helper()
    try:
        answers = [helper.run("r1", _handler, {"n": n}, 5, 1 << 20, 1 << 20).body.decode()
                   for n in range(5)]
        pids = {a.split(" from ")[1] for a in answers}
        assert [a.split(" from ")[0] for a in answers] == ["0", "1", "2", "3", "4"]
        assert len(pids) == 1 and pids != {str(os.getpid())}
        first = int(pids.pop())

        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            helper.run("r1", _handler, {"n": 9, "sleep": 30}, 0.5, 1 << 20, 1 << 20)
        assert time.monotonic() - started < 5
        assert not _alive(first)

        again = helper.run("r1", _handler, {"n": 10}, 5, 1 << 20, 1 << 20).body.decode()
        assert again.startswith("10 from ") and again.split(" from ")[1] != str(first)
    finally:
        helper.stop()


def test_a_new_release_gets_a_new_helper():
    helper = query_process.Helper()
    try:
        old = helper.run("release-1", _handler, {"n": 1}, 5, 1 << 20, 1 << 20).body.decode()
        new = helper.run("release-2", _handler, {"n": 2}, 5, 1 << 20, 1 << 20).body.decode()
        assert old.split(" from ")[1] != new.split(" from ")[1]
        assert not _alive(int(old.split(" from ")[1]))
    finally:
        helper.stop()


def test_an_abandoned_stream_kills_the_helper():
    def big(job, writer):
        writer.prepare(200, {})
        for _ in range(100):
            writer.write(b"x" * 65536)

    helper = query_process.Helper()
    try:
        outcome = helper.run("r", big, {}, 5, 1024, 1 << 30)
        stream = outcome.stream
        next(stream)
        pid = helper.pid
        stream.close()           # the client went away
        assert pid is not None and not _alive(pid)
        assert helper.run("r", _handler, {"n": 3}, 5, 1 << 20, 1 << 20).body.startswith(b"3 from")
    finally:
        helper.stop()


def test_a_client_that_hangs_up_stops_its_query():
    import socket
    import threading

    helper = query_process.Helper()
    helper.run("r", _handler, {"n": 0}, 5, 1 << 20, 1 << 20)     # the helper is up
    ours, theirs = socket.socketpair()                           # a connection arrives
    try:
        pid = helper.pid
        threading.Timer(0.5, theirs.close).start()
        started = time.monotonic()
        with pytest.raises(query_process.ClientGone):
            helper.run("r", _handler, {"n": 1, "sleep": 30}, 20, 1 << 20, 1 << 20, client=ours)
        assert time.monotonic() - started < 5
        assert pid is not None and not _alive(pid)
        assert helper.run("r", _handler, {"n": 2}, 5, 1 << 20, 1 << 20).body.startswith(b"2 from")
    finally:
        helper.stop()
        ours.close()
