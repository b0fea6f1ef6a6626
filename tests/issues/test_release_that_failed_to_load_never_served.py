"""Found in review: with releases held in memory (`serve --in-memory`, and the query service
by default), a new release that could not be loaded (the machine short of memory at that
moment, say) was marked failed and never tried again: the site served the release before it
until restarted, though nothing was wrong with the new one.

It is tried again after `snapshot.RETRY_LOAD` seconds, and served once it loads."""

from __future__ import annotations

import threading
import time

from memorial_graph.build import build
from memorial_graph.config import Config
from memorial_graph.web import create_app
from memorial_graph.web import snapshot as snapshot_module
from tests.conftest import copy_project
from tests.releases import another_release, site_clock


def test_a_release_that_once_failed_to_load_is_tried_again(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "project")
    config = Config.for_project(project, in_memory=True)
    first = build(config)
    ident = f"{first.id}-second"

    real_snapshot = snapshot_module.load_snapshot
    attempts: list[str] = []

    def load_snapshot(release, *args, **kwargs):
        if release is not None and release.id == ident:
            attempts.append(ident)
            if len(attempts) == 1:
                raise MemoryError("out of memory, this once")
        return real_snapshot(release, *args, **kwargs)

    monkeypatch.setattr(snapshot_module, "load_snapshot", load_snapshot)
    clock = site_clock(monkeypatch)
    client = create_app(config).test_client()

    def look(seconds: float = 2.0) -> str:
        clock[0] += seconds
        served = client.get("/health").get_json()["release"]
        while any(t.name == "release-loader" and t.is_alive() for t in threading.enumerate()):
            time.sleep(0.01)
        return served

    assert look() == first.id
    another_release(config, first, "second")

    assert look() == first.id             # its load begins, and fails
    assert attempts == [ident]
    assert look() == first.id             # not tried again at once
    assert attempts == [ident]
    look(getattr(snapshot_module, "RETRY_LOAD", 60.0))      # tried again
    assert attempts == [ident, ident]
    assert look() == ident
