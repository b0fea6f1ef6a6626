"""Found in review: with releases held in memory (`serve --in-memory` for the web workers, and
the query service by default), two releases made in quick succession could leave the site
serving the older of the two after the newer had been served. Each new release was loaded
aside in a thread of its own, and whichever load ended last became the snapshot: the second
release, slow to load, replaced the third once it was done, `/health` and every page went back
to it, and the third was then loaded a second time (three copies in memory meanwhile).

One release is loaded aside at a time, and a load that ends when `var/current` no longer
points at its release is dropped; the release current then is loaded next."""

from __future__ import annotations

import threading
import time

from memorial_graph.build import build
from memorial_graph.config import Config
from memorial_graph.web import create_app
from memorial_graph.web import snapshot as snapshot_module
from tests.conftest import copy_project
from tests.releases import another_release, site_clock


def test_a_release_is_not_served_after_a_newer_one(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "project")
    config = Config.for_project(project, in_memory=True)
    first = build(config)

    real_open = snapshot_module.open_store
    slow = threading.Event()           # the second release loads until this is set
    loads: list[str] = []
    waiting: set[int] = set()
    slowed: list[threading.Thread] = []

    def open_store(cfg, release=None, *args, **kwargs):
        if release is not None:
            loads.append(release.id)
            if release.id == second:
                slowed.append(threading.current_thread())
                waiting.add(threading.get_ident())
                slow.wait()
                waiting.discard(threading.get_ident())
        return real_open(cfg, release, *args, **kwargs)

    def settle() -> None:
        """Until every load aside has ended or waits for `slow`."""
        while any(t.name == "release-loader" and t.is_alive() and t.ident not in waiting
                  for t in threading.enumerate()):
            time.sleep(0.01)

    monkeypatch.setattr(snapshot_module, "open_store", open_store)
    clock = site_clock(monkeypatch)
    client = create_app(config).test_client()
    served: list[str] = []

    def look() -> None:
        clock[0] += 2.0                 # past the once-a-second look at var/current
        served.append(client.get("/health").get_json()["release"])
        settle()

    second = ""
    look()
    second = another_release(config, first, "second")
    look()
    third = another_release(config, first, "third")
    look()
    look()
    slow.set()
    for thread in slowed:
        thread.join()
    settle()
    look()
    look()
    look()

    order = [first.id, second, third]
    assert served[-1] == third, served
    positions = [order.index(ident) for ident in served]
    assert positions == sorted(positions), f"went back to an older release: {served}"
    assert loads.count(third) == 1, loads
