"""The serving tier's limits (issue 9), shown on the real server over HTTP: fair use per
client (429 with Retry-After and the RateLimit fields), the bounded queue (503 with Retry-After
at once), and a client that hangs up stopping its query (its process is replaced, and the next
query is served at once).

One server with the smallest limits: one query process, a queue of one, one query per client
at a time, a budget of 4 s of query time per minute. Clients are told apart by the address a
trusted proxy (`--trusted-proxies 1`) puts in X-Forwarded-For, as behind nginx.
"""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.server import running_server

RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
QUICK = "ASK { ?s ?p ?o }"
TIMEOUT = 20


@pytest.fixture(scope="module")
def server(built):
    config, _ = built
    with running_server(config.project_dir, "--query-processes", "1", "--query-queue", "1",
                        "--client-queries", "1", "--query-budget", "4",
                        "--trusted-proxies", "1", "--timeout", str(TIMEOUT)) as base:
        yield base


def ask(base: str, query: str, client: str, timeout: float = 60):
    """(status, headers, seconds taken) of a query sent as `client`, run afresh (`no-cache`:
    not answered from the answers kept for the release, which cost no query time)."""
    url = f"{base}/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"X-Forwarded-For": client,
                                                   "Accept": "application/sparql-results+json",
                                                   "Cache-Control": "no-cache"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return response.status, response.headers, time.monotonic() - started
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code, exc.headers, time.monotonic() - started


class Runaway:
    """A runaway query sent as `client` on a raw connection, which it keeps open (the query
    runs) until `hang_up()`. Started once the client's next query is refused as concurrent
    (sent again if a probe got in first and the runaway itself was refused)."""

    def __init__(self, base: str, client: str):
        self.base, self.client = base, client
        for _attempt in range(20):
            self._send()
            time.sleep(0.3)
            status, _headers, _ = ask(base, QUICK, client)
            if status == 429 and not self._answered():
                return
            self.hang_up()
            time.sleep(0.3)
        raise AssertionError("the runaway query never started")

    def _send(self) -> None:
        host, port = self.base.removeprefix("http://").split(":")
        self.sock = socket.create_connection((host, int(port)))
        path = "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n"
                          f"X-Forwarded-For: {self.client}\r\n"
                          f"Accept: application/sparql-results+json\r\n\r\n".encode())

    def _answered(self) -> bool:
        self.sock.setblocking(False)
        try:
            return bool(self.sock.recv(1, socket.MSG_PEEK))
        except BlockingIOError:
            return False
        finally:
            self.sock.setblocking(True)

    def hang_up(self) -> None:
        self.sock.close()

    def answer(self) -> bytes:
        self.sock.settimeout(TIMEOUT + 10)
        return self.sock.recv(200)


def test_a_second_query_of_the_same_client_is_429_with_retry_after_and_the_budget(server):
    runaway = Runaway(server, "10.0.0.1")
    try:
        status, headers, took = ask(server, QUICK, "10.0.0.1")
        assert status == 429
        assert int(headers["Retry-After"]) >= 1
        assert headers["RateLimit-Policy"] == '"query-time";q=4;w=60, "concurrent-queries";q=1'
        assert headers["RateLimit"].startswith('"query-time";r=')
        assert took < 1.0
        # Another client is not held back by this one's limit (it waits for the process).
    finally:
        runaway.hang_up()
    status, headers, _ = ask(server, QUICK, "10.0.0.2")
    assert status == 200 and headers["RateLimit-Policy"]


def test_with_the_queue_full_a_query_is_503_with_retry_after_at_once(server):
    running = Runaway(server, "10.0.1.1")         # in the one process
    waiting = Runaway(server, "10.0.1.2")         # in the queue of one
    try:
        status, headers, took = ask(server, QUICK, "10.0.1.3")
        assert status == 503
        assert 1 <= int(headers["Retry-After"]) <= TIMEOUT
        assert took < 1.0, f"the busy answer took {took:.2f} s"
    finally:
        running.hang_up()
        waiting.hang_up()


def test_a_client_that_hangs_up_stops_its_query(server):
    """With one query process: a runaway whose client hangs up must not hold it until the time
    limit; the next client's query is answered at once, and the client's budget counts only
    the time its query ran."""
    runaway = Runaway(server, "10.0.2.1")
    time.sleep(1.0)
    runaway.hang_up()
    status, _headers, took = ask(server, QUICK, "10.0.2.2", timeout=TIMEOUT + 10)
    assert status == 200
    assert took < 3.0, f"the next query waited {took:.1f} s (the time limit is {TIMEOUT} s)"


def test_a_client_past_its_query_time_budget_is_429_until_it_refills(server):
    runaway = Runaway(server, "10.0.3.1")
    time.sleep(4.5)                              # past the budget of 4 s per minute
    runaway.hang_up()
    time.sleep(0.3)
    status, headers, _ = ask(server, QUICK, "10.0.3.1")
    assert status == 429
    assert int(headers["Retry-After"]) >= 1
    assert headers["RateLimit"].startswith('"query-time";r=0')
    status, _headers, _ = ask(server, QUICK, "10.0.3.2")    # others are not affected
    assert status == 200


def test_the_runaway_of_one_client_leaves_others_their_answers(server):
    """A runaway that runs to the time limit ends with 503 and its message; meanwhile another
    client's query waits in the queue and is answered after it."""
    runaway = Runaway(server, "10.0.4.1")
    results = []
    thread = threading.Thread(target=lambda: results.append(
        ask(server, QUICK, "10.0.4.2", timeout=TIMEOUT + 10)))
    thread.start()
    head = runaway.answer()
    thread.join()
    runaway.hang_up()
    assert head.startswith(b"HTTP/1.1 503")
    assert results and results[0][0] == 200
