"""Found in review: `/health`'s `"queries"` ("memory", "disk" or "remote": where the query
processes read the release) was worked out from the configuration alone. While the query
service was still loading a new release into memory, or after that load had failed, it said
"memory" where the query processes were reading the new release from its store on disk.

It now says what the query service says it serves (`query_service.STATE`, beside its socket):
the release it holds and how; a release it does not hold is read from disk."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from memorial_graph.web import create_app, query_service

STATE = getattr(query_service, "STATE", "state.json")


def _health(config, tmp_path, state: dict | None) -> dict:
    socket_path = tmp_path / "service.sock"
    if state is not None:
        (Path(socket_path).with_name(STATE)).write_text(json.dumps(state), encoding="utf-8")
    # Configured to hold a release this small in memory for queries (as `serve` is).
    app = create_app(dataclasses.replace(config, query_socket=str(socket_path),
                                         in_memory_up_to=2_000_000))
    return app.test_client().get("/health").get_json()


def test_queries_held_in_memory_by_the_service_say_memory(config, release, tmp_path):
    health = _health(config, tmp_path, {"release": release.id, "queries": "memory"})
    assert (health["release"], health["store"], health["queries"]) == (release.id, "disk",
                                                                        "memory")


def test_a_release_the_service_does_not_hold_yet_is_read_from_disk(config, release, tmp_path):
    health = _health(config, tmp_path, {"release": "20260101T000000Z-older", "queries": "memory"})
    assert (health["release"], health["queries"]) == (release.id, "disk")


def test_before_the_service_has_said_the_configuration_decides(config, release, tmp_path):
    assert _health(config, tmp_path, None)["queries"] == "memory"
