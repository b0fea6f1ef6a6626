"""Found in review: with releases held in memory (`serve --in-memory`, and the query service
by default), a new release that could not be loaded (the machine short of memory at that
moment, say) was marked failed and never tried again: the site served the release before it
until restarted, though nothing was wrong with the new one.

It is tried again after `snapshot.RETRY_LOAD` seconds, and served once it loads."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import types
from pathlib import Path

from memorial_graph.build import build
from memorial_graph.config import Config
from memorial_graph.release import CURRENT, MANIFEST, RELEASES
from memorial_graph.web import create_app
from memorial_graph.web import snapshot as snapshot_module
from tests.conftest import copy_project


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

    clock = [1000.0]
    monkeypatch.setattr(snapshot_module, "load_snapshot", load_snapshot)
    monkeypatch.setattr(snapshot_module, "time", types.SimpleNamespace(
        monotonic=lambda: clock[0]))
    client = create_app(config).test_client()

    def look(seconds: float = 2.0) -> str:
        clock[0] += seconds
        served = client.get("/health").get_json()["release"]
        while any(t.name == "release-loader" and t.is_alive() for t in threading.enumerate()):
            time.sleep(0.01)
        return served

    assert look() == first.id
    path = Path(config.var_dir) / RELEASES / ident
    shutil.copytree(first.path, path)
    manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    (path / MANIFEST).write_text(json.dumps(dict(manifest, id=ident)), encoding="utf-8")
    link = Path(config.var_dir) / CURRENT
    os.symlink(Path(RELEASES) / ident, link.with_name(".current-tmp"))
    os.replace(link.with_name(".current-tmp"), link)

    assert look() == first.id             # its load begins, and fails
    assert attempts == [ident]
    assert look() == first.id             # not tried again at once
    assert attempts == [ident]
    look(getattr(snapshot_module, "RETRY_LOAD", 60.0))      # tried again
    assert attempts == [ident, ident]
    assert look() == ident
