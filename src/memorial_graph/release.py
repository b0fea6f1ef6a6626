"""Releases: the hand-off between the build and the web tier.

A release is an immutable directory the build writes and the web tier reads:

    var/releases/<release-id>/   dataset.nq (+ .gz), dataset.trig (+ .gz), dataset.ttl,
                                 dataset.jsonld, SHA256SUMS, manifest.json, queries/*.rq,
                                 records.tsv, changes.json, history.nq,
                                 store/ (pyoxigraph, RocksDB), search.sqlite (SQLite FTS5,
                                 see search_schema.py)
    var/current -> releases/<release-id>   (a symlink replaced with one rename)

Every release is kept (only `memorial-graph prune` removes any). The manifest names the
release's predecessor (the release that was current when it was built) and its sequence
number; `records.tsv` holds the content hash of every record and claim, `changes.json` what
changed since the predecessor, and `history.nq` the whole chain of releases and their changes
(the predecessor's history plus this release's), which the store serves as its history graph.

`build/artifacts.py` writes it under a temporary name and renames it into place when complete;
this module only reads, so nothing here depends on how a release is made.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .errors import NotBuilt

MANIFEST = "manifest.json"
RELEASES = "releases"
CURRENT = "current"
TEMPORARY_PREFIX = ".tmp-"
RECORDS = "records.tsv"     # kind, id, content hash, mentioned ids: what the next build diffs
CHANGES = "changes.json"    # this release's changelog
HISTORY = "history.nq"      # every release and change so far, in the history graph
STORE_FILES = ("dataset.nq", HISTORY)   # what a release's store holds, loaded by the build
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
    def quads(self) -> int:
        return int(self.manifest.get("quads", 0))

    @property
    def checksums(self) -> dict[str, str]:
        return self.manifest.get("checksums", {})

    def artifact(self, name: str) -> Path:
        return self.path / name

    @property
    def created(self) -> datetime:
        return datetime.fromisoformat(self.manifest["created"].replace("Z", "+00:00"))

    @property
    def predecessor(self) -> str | None:
        return self.manifest.get("predecessor")

    @property
    def sequence(self) -> int:
        """The release's number in the collection's history (0 for releases made before
        releases were numbered)."""
        return int(self.manifest.get("sequence", 0))

    def changes(self) -> dict | None:
        """This release's changelog, or None for a release made without one."""
        path = self.artifact(CHANGES)
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def current(var_dir: Path) -> Release | None:
    """The release `var/current` points at, or None before the first build."""
    link = Path(var_dir) / CURRENT
    manifest = link / MANIFEST
    if not manifest.exists():
        return None
    path = link.resolve()
    return Release(path, json.loads(manifest.read_text(encoding="utf-8")))


def read(path: Path) -> Release | None:
    """The release in a directory, or None if it is not a complete release."""
    try:
        return Release(path, json.loads((path / MANIFEST).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def kept(var_dir: Path) -> list[Release]:
    """Every complete release under var/releases/, oldest first."""
    root = Path(var_dir) / RELEASES
    found = [read(p) for p in root.iterdir() if not p.name.startswith(".")] \
        if root.is_dir() else []
    return sorted((r for r in found if r is not None),
                  key=lambda r: (r.sequence, r.manifest["created"], r.id))


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
