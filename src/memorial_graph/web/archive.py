"""Past releases, opened on demand: which releases are kept, a bounded number of open ones
(least recently used closed first), and a site pinned to one release.

The current release is the `Site`'s own snapshot; any other kept release is opened
read-only (its RocksDB store, its labels) when a request names it, and closed again when
more than `MAX_OPEN` past releases are open in this worker. See docs/publishing.md for what an
open release costs in memory.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from .. import saved_queries
from ..errors import NotFound
from ..release import Release, kept
from ..store import EmbeddedStore
from .snapshot import Site, Snapshot, load_snapshot
from .urls import ReleaseUrls

MAX_OPEN = 2         # past releases open at once per worker (the current one is extra)
LIST_SECONDS = 1.0   # how long the list of kept releases is trusted


class Archive:
    def __init__(self, site: Site, max_open: int = MAX_OPEN):
        self.site = site
        self.max_open = max_open
        self._open: OrderedDict[str, Snapshot] = OrderedDict()
        self._listed: tuple[float, list[Release]] = (-LIST_SECONDS, [])
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        """Releases are addressable when the site serves them from var/ (not a file or a
        remote store, which have no past)."""
        cfg = self.site.config
        return not (cfg.data_file or cfg.store_url or self.site._store_factory)

    def releases(self) -> list[Release]:
        """The kept releases, oldest first (re-read at most once a second)."""
        if not self.enabled:
            return []
        now = time.monotonic()
        listed_at, listed = self._listed
        if now - listed_at < LIST_SECONDS:
            return listed
        listed = kept(self.site.config.var_dir)
        self._listed = (now, listed)
        present = {r.id for r in listed}
        with self._lock:
            for rid in [rid for rid in self._open if rid not in present]:
                del self._open[rid]    # pruned: let its store close
        return listed

    def get(self, release_id: str) -> Release:
        for release in self.releases():
            if release.id == release_id:
                return release
        raise NotFound(f"there is no release '{release_id}' (see /releases/ for those kept)")

    def snapshot(self, release_id: str) -> Snapshot:
        """A release's snapshot: the current one's, or a past one's opened on demand."""
        current = self.site.snapshot()
        if current.release is not None and current.release.id == release_id:
            return current
        release = self.get(release_id)
        with self._lock:
            snap = self._open.get(release_id)
            if snap is not None:
                self._open.move_to_end(release_id)
                return snap
        snap = load_snapshot(release, EmbeddedStore.open_release(release), release.created)
        if (release.path / "queries").is_dir():
            snap.saved = saved_queries.load_all(release.path / "queries")
        with self._lock:
            snap = self._open.setdefault(release_id, snap)
            self._open.move_to_end(release_id)
            while len(self._open) > self.max_open:
                self._open.popitem(last=False)
        return snap

    def pinned(self, release_id: str) -> PinnedSite:
        snap = self.snapshot(release_id)
        return PinnedSite(self.site, snap)


class PinnedSite:
    """The `Site` interface views use (`snapshot()`, `urls`, `uris`, `config`, `saved`, ...)
    over one release, so every view serves that release's copy unchanged."""

    def __init__(self, site: Site, snap: Snapshot):
        self._site = site
        self._snap = snap
        self.urls = ReleaseUrls(site.uris, snap.version)
        self.saved = snap.saved if snap.saved is not None else site.saved
        self.release_id = snap.version

    def snapshot(self) -> Snapshot:
        return self._snap

    def __getattr__(self, name: str):
        return getattr(self._site, name)
