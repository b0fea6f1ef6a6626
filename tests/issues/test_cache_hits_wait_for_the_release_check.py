"""Found in review: before answering a request from its shared cache, the front asked the site
for the current release on the event loop. Once a second that looks at var/current, or, over
a remote store (`serve --store`), asks the store for its marker: a network request. A slow
store, or a new release being opened, held every request of that web worker meanwhile, cache
hits included.

The look happens in a thread; the front answers from the release being served until then."""

from __future__ import annotations

import threading

from memorial_graph.web import create_app
from memorial_graph.web.front import Front


def test_the_front_never_waits_for_the_look_for_a_new_release(config):
    app = create_app(config)
    app.test_client().get("/health")             # the site has opened its release
    front = Front(app, config)
    site = app.extensions["memorial_graph"]
    served = site._snapshot
    release = threading.Event()
    looked = threading.Event()
    real = site.snapshot

    def slow_snapshot():
        looked.set()
        release.wait(30)                         # a store that takes its time to answer
        return real()

    site.snapshot = slow_snapshot
    site._checked = 0.0                          # a look is due
    got: list = []
    asking = threading.Thread(target=lambda: got.append(front._release_cache()), daemon=True)
    try:
        asking.start()
        asking.join(10)
        assert not asking.is_alive(), "the front waited for the look for a new release"
        assert got and got[0] is not None        # the release being served answers meanwhile
        assert looked.wait(10), "no look for a new release was made"
        assert site._snapshot is served
    finally:
        release.set()
        front.pool.shutdown(wait=True)
