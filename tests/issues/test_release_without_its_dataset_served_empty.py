"""Found in review: a release's store is loaded into memory from its dataset.nq and
history.nq (`serve --in-memory`, and the query processes by default), and a missing file was
skipped in silence. A release whose dataset.nq had gone (a damaged copy, a disk cleaned by
hand) was served as an empty collection: every query answered, with nothing in it.

It is refused with a message naming the release and the file; the release's history alone
may be missing (releases made before the history graph have none)."""

from __future__ import annotations

import shutil

import pytest

from memorial_graph.errors import NotBuilt
from memorial_graph.release import HISTORY, read
from memorial_graph.store import EmbeddedStore


def _copy(release, tmp_path):
    path = tmp_path / release.path.name
    shutil.copytree(release.path, path)
    return read(path)


def test_a_release_without_its_dataset_is_refused_not_served_empty(release, tmp_path):
    damaged = _copy(release, tmp_path)
    (damaged.path / "dataset.nq").unlink()
    with pytest.raises(NotBuilt, match="dataset.nq"):
        EmbeddedStore.open_release(damaged, in_memory=True)


def test_a_release_without_history_is_still_served(release, tmp_path):
    older = _copy(release, tmp_path)
    (older.path / HISTORY).unlink()
    store = EmbeddedStore.open_release(older, in_memory=True)
    assert store.ask("ASK { ?claim a <https://w3id.org/memorial-graph/ontology#Claim> }")
