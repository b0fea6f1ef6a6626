"""Found in review of the fix that lets a job started late by a busy query service keep its
whole time limit (`test_query_cut_short_after_the_service_opened_a_release`): with the web
worker keeping no deadline of its own for a job the service had said nothing of, a service
that hung (took the job and never read it) held every such request for good.

The web worker still gives up on such a job, later than on one it knows started: after the
time limit, the grace and `QueryClient.unheard` seconds, with a 503 that says the service did
not answer (and Retry-After)."""

from __future__ import annotations

import socket
import threading

from memorial_graph.web.query_client import QueryClient


def test_a_request_is_not_held_for_good_by_a_service_that_never_answers(tmp_path):
    path = str(tmp_path / "service.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(4)
    taken = []
    accepting = threading.Thread(target=lambda: taken.append(listener.accept()[0]), daemon=True)
    accepting.start()
    client = QueryClient(path)
    client.unheard = 1.0
    outcome = []
    asking = threading.Thread(
        target=lambda: outcome.append(client.run({"query": "ASK {}"}, "a", 0.5, 1 << 20, 1 << 20)),
        daemon=True)
    try:
        asking.start()
        asking.join(30)
        assert not asking.is_alive(), "the request is still waiting for the query service"
        (answer,) = outcome
        assert answer.status == 503
        assert b"did not answer" in answer.body
        assert answer.headers.get("Retry-After")
    finally:
        for sock in taken:
            sock.close()
        listener.close()
