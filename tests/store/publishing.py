"""What the publishing tests share: a reader that resolves the marker and counts, in a loop,
as an app node does, while a release is published."""

from __future__ import annotations

import threading

from memorial_graph.store import open_store
from memorial_graph.uris import Uris

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count_while(remote_config, act, readers: int = 2) -> list[tuple[str, int]]:
    """Run `act()` while `readers` threads each resolve the store's marker and count the
    triples of the load it names, again and again; every (load, count) they saw."""
    seen: list[tuple[str, int]] = []
    done = threading.Event()
    collection = Uris(remote_config.base_uri).collection_graph
    failures: list[BaseException] = []

    def read():
        try:
            while not done.is_set():
                store = open_store(remote_config)       # reads the marker, as nodes do
                seen.append((store.graphs[collection], int(store.select(COUNT)[0]["n"].value)))
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=read) for _ in range(readers)]
    for thread in threads:
        thread.start()
    try:
        act()
    finally:
        done.set()
        for thread in threads:
            thread.join()
    assert not failures, failures
    return seen


def loads_in(everything) -> set[str]:
    """The loads whose graphs a store holds (the path segments after the graph's name)."""
    rows = everything.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                             "FILTER (CONTAINS(STR(?g), '/graph/collection/')) }")
    return {row["g"].value.split("/graph/collection/", 1)[1] for row in rows}
