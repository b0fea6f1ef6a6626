"""Found while testing app nodes behind a cache (issue 13): an app node over a remote store
(`serve --store URL`) opened its snapshot once and never noticed a new release published to
the store, so it served the old documents (and the old ETags) until restarted, and called
its release "live".

`publish` now writes which release the store holds in the same update that switches the
graphs, and app nodes check it as they check `var/current`."""

from __future__ import annotations

import time

from memorial_graph.build import build
from memorial_graph.build.publish import publish
from memorial_graph.config import Config
from memorial_graph.web import create_app
from tests.conftest import MONUMENT, copy_project
from tests.server import running_oxigraph


def test_an_app_node_over_a_remote_store_follows_the_published_release(tmp_path):
    project = copy_project(tmp_path / "project")
    config = Config.for_project(project)
    first = build(config)
    with running_oxigraph(tmp_path) as store:
        publish(config, f"{store}/query")
        client = create_app(config.with_(store_url=f"{store}/query")).test_client()
        assert client.get("/health").get_json()["release"] == first.id
        old = client.get(f"/doc/{MONUMENT}.ttl")

        monuments = project / "data" / "entities" / "monuments.yaml"
        monuments.write_text(monuments.read_text(encoding="utf-8").replace(
            "note: Azerbaijani for", "note: Edited. Azerbaijani for", 1), encoding="utf-8")
        second = build(config)
        publish(config, f"{store}/query")
        time.sleep(1.1)                     # nodes look at most once a second
        assert client.get("/health").get_json()["release"] == second.id
        new = client.get(f"/doc/{MONUMENT}.ttl")
        assert b"Edited." in new.data and b"Edited." not in old.data
        assert new.headers["ETag"] != old.headers["ETag"]
