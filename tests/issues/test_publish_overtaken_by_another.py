"""Found in review: two publishes to one remote store at once (two CI jobs, say). The switch
replaced whatever load the marker named, so a publish that had started first and finished
last switched readers to its load even when the other had meanwhile become current (and had
dropped this one's graphs as those of no current load): readers were moved to a load whose
graphs were gone, or back to an older release.

The switch replaces only the load the publish found current; a publish overtaken by another
changes nothing, drops what it loaded and says so."""

from __future__ import annotations

import pytest

from memorial_graph.build import publish as publishing
from memorial_graph.build.publish import publish
from memorial_graph.errors import StoreError
from memorial_graph.store import open_store
from memorial_graph.store.remote import RemoteStore
from tests.server import running_oxigraph
from tests.store.publishing import loads_in


def test_a_publish_overtaken_by_another_changes_nothing(config, store, tmp_path, monkeypatch):
    (tmp_path / "oxigraph").mkdir()
    with running_oxigraph(tmp_path / "oxigraph") as base:
        url = f"{base}/query"
        remote = config.with_(store_url=url)
        publish(config, url)
        real_switch = publishing.switch
        overtaking: list[str] = []

        def switch_after_another_publish(*args, **kwargs):
            if not overtaking:
                # While this publish is about to switch, another one runs from start to end.
                overtaking.append("started")
                publish(config, url)
                overtaking.append(open_store(remote).graphs[config_collection(config)])
            return real_switch(*args, **kwargs)

        monkeypatch.setattr(publishing, "switch", switch_after_another_publish)
        with pytest.raises(StoreError, match="another publish"):
            publish(config, url)
        monkeypatch.undo()

        served = open_store(remote)
        assert served.graphs[config_collection(config)] == overtaking[1], \
            "readers were moved away from the publish that finished first"
        assert len(served) == len(store)
        everything = RemoteStore(url)
        assert overtaking[1].split("/graph/collection/", 1)[1] in loads_in(everything)
        assert len(loads_in(everything)) == 2      # the one before and the current one


def config_collection(config) -> str:
    from memorial_graph.uris import Uris

    return Uris(config.base_uri).collection_graph
