"""`memorial-graph serve` as started by an operator: what it logs, the priority of its queries,
where its queries read the release from (memory for a small one, unless told --on-disk), and a
new release loaded into memory while the one before it is served."""

from __future__ import annotations

import json
import os
import time
import urllib.parse
import urllib.request

from memorial_graph.build import build
from memorial_graph.config import Config
from tests.conftest import MONUMENT, copy_project
from tests.server import children, descendants, running_server

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
EDITED = 'ASK { ?s ?p ?o FILTER (CONTAINS(STR(?o), "Edited. Azerbaijani for")) }'


def _logged(project, *flags: str) -> str:
    with running_server(project, *flags, workers=1) as base:
        port = base.rsplit(":", 1)[1]
        urllib.request.urlopen(f"{base}/health?probe=1", timeout=10).read()
        time.sleep(0.5)                     # the log line is written after the answer
        return (project / f"server-{port}.log").read_text(encoding="utf-8")


def test_each_request_is_logged_by_default(config):
    assert '"GET /health' in _logged(config.project_dir)


def test_no_access_log_logs_no_request_lines(config):
    log = _logged(config.project_dir, "--no-access-log")
    assert "serving on" in log and '"GET /health' not in log


def _niceness(pid: int) -> int:
    return int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[16])


def test_query_processes_run_at_the_given_niceness(config):
    with running_server(config.project_dir, "--query-nice", "17", workers=1) as base:
        url = f"{base}/sparql?{urllib.parse.urlencode({'query': 'ASK { ?s ?p ?o }'})}"
        urllib.request.urlopen(urllib.request.Request(
            url, headers={"Cache-Control": "no-cache"}), timeout=30).read()
        port = base.rsplit(":", 1)[1].encode()
        root = next(pid for pid in children(os.getpid())
                    if port in open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0"))
        values = {_niceness(pid) for pid in {root, *descendants(root)}}
    assert 17 in values and 0 in values        # query processes at 17, the web at 0


def _json(url: str, **headers) -> dict:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
        return json.loads(r.read())


def _count(base: str) -> int:
    answer = _json(f"{base}/sparql?{urllib.parse.urlencode({'query': COUNT})}",
                   Accept="application/sparql-results+json", **{"Cache-Control": "no-cache"})
    return int(answer["results"]["bindings"][0]["n"]["value"])


def _ask(base: str, query: str) -> bool:
    return _json(f"{base}/sparql?{urllib.parse.urlencode({'query': query})}",
                 Accept="application/sparql-results+json",
                 **{"Cache-Control": "no-cache"})["boolean"]


def _server_tree(base: str) -> set[int]:
    port = base.rsplit(":", 1)[1].encode()
    root = next(pid for pid in children(os.getpid())
                if port in open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0"))
    return {root, *descendants(root)}


def _reads_store_files(pid: int, store_dir) -> bool:
    """Whether the process holds files of the release's on-disk store open (RocksDB keeps its
    files open for as long as the store is)."""
    fds = f"/proc/{pid}/fd"
    return any(os.readlink(f"{fds}/{fd}").startswith(str(store_dir))
               for fd in os.listdir(fds) if os.path.exists(f"{fds}/{fd}"))


def test_queries_read_a_small_release_from_memory_pages_its_store_unless_on_disk(config,
                                                                                  release, store):
    for flags, queries in (((), "memory"), (("--on-disk",), "disk")):
        with running_server(config.project_dir, *flags, workers=1) as base:
            assert _json(f"{base}/health") | {"release": None} == {
                "status": "ok", "release": None, "quads": len(store), "store": "disk",
                "queries": queries}
            assert _count(base) == len(store)
            tree = _server_tree(base)
            query_processes = {pid for pid in tree if _niceness(pid) > 0}
            web = tree - query_processes
            assert query_processes and any(_reads_store_files(p, release.store_path) for p in web)
            held = {_reads_store_files(p, release.store_path) for p in query_processes}
            assert held == {queries == "disk"}, flags


def test_a_new_release_goes_into_memory_and_documents_and_queries_follow_it(tmp_path):
    project = copy_project(tmp_path / "project")
    config = Config.for_project(project)
    first = build(config)
    with running_server(project, workers=1) as base:
        assert _json(f"{base}/health")["release"] == first.id
        before = _count(base)
        monuments = project / "data" / "entities" / "monuments.yaml"
        monuments.write_text(monuments.read_text(encoding="utf-8").replace(
            "note: Azerbaijani for", "note: Edited. Azerbaijani for", 1), encoding="utf-8")
        second = build(config)
        deadline = time.monotonic() + 20
        while _json(f"{base}/health")["release"] != second.id:
            assert time.monotonic() < deadline, "the new release was never served"
            time.sleep(0.2)
        # The query service loads it aside; until then its processes read the new release
        # from its store, and /health says so.
        deadline = time.monotonic() + 20
        while _json(f"{base}/health")["queries"] != "memory":
            assert time.monotonic() < deadline, "the query service never held the new release"
            time.sleep(0.2)
        with urllib.request.urlopen(f"{base}/doc/{MONUMENT}.ttl", timeout=30) as r:
            assert b"Edited." in r.read()
        # The query processes follow too.
        deadline = time.monotonic() + 20
        while not _ask(base, EDITED):
            assert time.monotonic() < deadline, "queries kept reading the first release"
            time.sleep(0.2)
        assert _count(base) >= before
