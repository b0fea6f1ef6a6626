"""Releases: the hand-off between the build and the web tier.

A release is an immutable directory the build writes and the web tier reads:

    var/releases/<release-id>/   dataset.nq (+ .gz), dataset.trig (+ .gz), dataset.ttl,
                                 dataset.jsonld, SHA256SUMS, manifest.json, queries/*.rq,
                                 store/ (pyoxigraph, RocksDB), search.sqlite (SQLite FTS5,
                                 see search_schema.py)
    var/current -> releases/<release-id>   (a symlink replaced with one rename)

`build/artifacts.py` writes it under a temporary name and renames it into place when complete;
this module only reads, so nothing here depends on how a release is made.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import NotBuilt

MANIFEST = "manifest.json"
RELEASES = "releases"
CURRENT = "current"
TEMPORARY_PREFIX = ".tmp-"
SEARCH_INDEX = "search.sqlite"


@dataclass(frozen=True)
class Release:
    path: Path
    manifest: dict

    @property
    def id(self) -> str:
        return self.manifest["id"]

    @property
    def store_path(self) -> Path:
        return self.path / "store"

    @property
    def search_index(self) -> Path:
        return self.path / SEARCH_INDEX

    @property
    def checksums(self) -> dict[str, str]:
        return self.manifest.get("checksums", {})

    def artifact(self, name: str) -> Path:
        return self.path / name


def current(var_dir: Path) -> Release | None:
    """The release `var/current` points at, or None before the first build."""
    link = Path(var_dir) / CURRENT
    manifest = link / MANIFEST
    if not manifest.exists():
        return None
    path = link.resolve()
    return Release(path, json.loads(manifest.read_text(encoding="utf-8")))


def require_current(var_dir: Path) -> Release:
    """The current release; NotBuilt (with the one way out) before the first build."""
    release = current(var_dir)
    if release is None:
        raise NotBuilt("no release has been built yet: run `memorial-graph build` "
                       "(or `make serve`, which builds first)")
    return release


def current_link(var_dir: Path) -> str | None:
    """Where `var/current` points (changes exactly when a new release becomes current)."""
    try:
        return str((Path(var_dir) / CURRENT).readlink())
    except OSError:
        return None
