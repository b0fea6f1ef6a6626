"""What a worker keeps of a release: identifier checks asked once, and never without bound."""

from __future__ import annotations

from memorial_graph.web import create_app
from memorial_graph.web.snapshot import Snapshot
from tests.conftest import MONUMENT


class CountingStore:
    """The release's store, counting the queries that reach it (select, ask, exists, ...)."""

    def __init__(self, store):
        self.store, self.queries = store, 0

    def __getattr__(self, name):
        method = getattr(self.store, name)
        if name not in ("query", "select", "ask", "construct", "exists"):
            return method

        def counted(*args, **kwargs):
            self.queries += 1
            return method(*args, **kwargs)

        return counted


def test_an_identifier_is_looked_up_once_per_release(config):
    app = create_app(config)
    snap = app.extensions["memorial_graph"].snapshot()
    counting = CountingStore(snap.store)
    snap.store = counting
    client = app.test_client()
    assert client.get(f"/id/{MONUMENT}").status_code == 303
    assert client.get("/id/nosuchid").status_code == 404
    asked = counting.queries
    assert asked > 0
    for _ in range(3):
        assert client.get(f"/id/{MONUMENT}").status_code == 303
        assert client.get("/id/nosuchid").status_code == 404
    assert counting.queries == asked          # the release cannot change: nothing asked again


def test_the_lookups_kept_are_bounded(monkeypatch):
    snap = Snapshot(None, None, None)
    monkeypatch.setattr(Snapshot, "LOOKUPS_MAX", 3)
    for n in range(10):
        snap.known(("id", n), lambda n=n: n)
    assert list(snap.lookups) == [("id", 7), ("id", 8), ("id", 9)]
    assert snap.known(("id", 9), lambda: "not asked again") == 9
