"""Found in review: with releases held in memory (`serve --in-memory`, and the query service by
default), a new release is loaded aside while the one before it keeps serving. Opening it
replaced the site's saved queries as soon as its store was loaded, before its snapshot (the
labels, classes and description read from that store) was ready and served: meanwhile
`/queries/` listed, and `/queries/{name}` ran, the new release's saved queries over the
previous release's data and under its ETags, and a load that then failed or was dropped
(var/current moved on) left them in place for good.

The saved queries belong to the snapshot they were built with: they change when it is served.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from memorial_graph.build import build
from memorial_graph.config import Config
from memorial_graph.web import create_app
from memorial_graph.web import snapshot as snapshot_module
from tests.conftest import copy_project
from tests.releases import another_release, site_clock

RENAMED = "All claims about an entity (as the second release says)"


def _renamed_lookup(path: Path) -> None:
    """The release's saved lookup under another title."""
    rq = path / "queries" / "claims-about-entity.rq"
    first_line, rest = rq.read_text(encoding="utf-8").split("\n", 1)
    assert first_line.startswith("# title: ")
    rq.write_text(f"# title: {RENAMED}\n{rest}", encoding="utf-8")


def test_saved_queries_change_when_their_release_is_served(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "project")
    config = Config.for_project(project, in_memory=True)
    first = build(config)

    real_snapshot = snapshot_module.load_snapshot
    loading = threading.Event()           # the second release's store is loaded
    finish = threading.Event()            # and its snapshot is made when this is set
    second = ""

    def load_snapshot(release, *args, **kwargs):
        if release is not None and release.id == second:
            loading.set()
            finish.wait(30)
        return real_snapshot(release, *args, **kwargs)

    monkeypatch.setattr(snapshot_module, "load_snapshot", load_snapshot)
    clock = site_clock(monkeypatch)
    client = create_app(config).test_client()

    def look() -> tuple[str, str]:
        clock[0] += 2.0                   # past the once-a-second look at var/current
        release = client.get("/health").get_json()["release"]
        titles = {q["name"]: q["title"] for q in
                  client.get("/queries/", headers={"Accept": "application/json"}).get_json()}
        return release, titles["claims-about-entity"]

    before = look()
    second = another_release(config, first, "second", _renamed_lookup)
    look()                                # starts loading the second release aside
    assert loading.wait(30)
    during = look()
    finish.set()
    deadline = time.time() + 30
    while time.time() < deadline and look()[0] != second:
        time.sleep(0.05)
    after = look()

    assert before[0] == during[0] == first.id
    assert during[1] == before[1] != RENAMED, "the second release's queries were served early"
    assert after == (second, RENAMED)
