"""Found while making memory the default for small releases (issue 9): `serve --in-memory`
loaded only the release's dataset.nq, not its history graph (history.nq), which the build
loads into the on-disk store too. Served from memory, the 10k benchmark archive had 142,724
quads against the store's 186,921; the change feed listed no change and an entity's TimeMap
was not found, and every query over the history graph came back empty.

The release's store is loaded from every file the build loaded it from (`STORE_FILES`), for
every use (`--in-memory`) and for the query processes (which hold a small release in memory by
default)."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from tests.conftest import MONUMENT
from tests.server import running_server

HISTORY_COUNT = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH "
                 "<https://w3id.org/memorial-graph/graph/history> { ?s ?p ?o } }")


def _get(url: str, accept: str = "application/json"):
    request = urllib.request.Request(url, headers={"Accept": accept,
                                                   "Cache-Control": "no-cache"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


@pytest.fixture(scope="module", params=[(), ("--in-memory",), ("--on-disk",)], ids=str)
def server(config, request):
    # By default the query processes hold the release in memory and the web reads its store.
    with running_server(config.project_dir, *request.param, workers=1) as base:
        yield base


def test_the_server_holds_every_quad_of_the_release_s_store(server, store):
    assert json.loads(_get(f"{server}/health"))["quads"] == len(store)
    answer = json.loads(_get(f"{server}/sparql?{urllib.parse.urlencode({'query': HISTORY_COUNT})}",
                             "application/sparql-results+json"))
    assert int(answer["results"]["bindings"][0]["n"]["value"]) > 0


def test_the_history_is_served(server):
    feed = json.loads(_get(f"{server}/changes/0"))
    assert feed["orderedItems"]
    timemap = json.loads(_get(f"{server}/timemap/{MONUMENT}.json"))
    assert timemap["mementos"]["list"]
