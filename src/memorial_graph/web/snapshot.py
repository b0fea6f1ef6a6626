"""What a serving process holds: the release, its store, labels and a document cache.

Releases are immutable, so everything derived from one (entity documents in every format,
indexes, VoID) is computed once and kept until `var/current` points elsewhere; a worker
notices a new release within a second and switches over between requests. A release that goes
into memory is loaded aside, in a thread (pyoxigraph loads without holding the GIL), while the
one before it is still served: no request waits for the load. The query service has a `Site`
of its own (`for_queries`), which holds a small release in memory where the web workers read
its on-disk store.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path

import pyoxigraph as ox

from .. import namespaces as ns
from .. import saved_queries
from ..config import Config
from ..entity_classes import EntityClasses
from ..errors import MemorialGraphError, NotBuilt
from ..queries import load
from ..release import Release, current_link, read, require_current
from ..store import open_store
from ..uris import Uris
from .headers import repr_digest_of
from .urls import Urls

log = logging.getLogger(__name__)
RETRY_LOAD = 60.0        # seconds before a release that failed to load is tried again
LOOK_EVERY = 1.0         # seconds between looks at var/current (or a remote store's marker)


@dataclass
class Cached:
    body: bytes
    etag: str
    media_type: str
    repr_digest: str = ""    # RFC 9530 Repr-Digest of the body


@dataclass
class Snapshot:
    """One release as seen by the web tier."""

    release: Release | None
    store: object
    created: datetime
    classes: EntityClasses = field(default_factory=lambda: EntityClasses({}))
    labels: dict[str, dict[str, str]] = field(default_factory=dict)   # iri -> lang -> label
    property_labels: dict[str, str] = field(default_factory=dict)
    many_valued: set[str] = field(default_factory=set)
    cache: OrderedDict = field(default_factory=OrderedDict)
    memos: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    responses: OrderedDict = field(default_factory=OrderedDict)   # saved-query answers
    response_bytes: int = 0
    saved: dict | None = None       # the release's own saved queries (None: the project's)

    lookups: OrderedDict = field(default_factory=OrderedDict)
    LOOKUPS_MAX = 100_000           # identifier checks kept per worker and release
    RESPONSE_BUDGET = 64 << 20      # bytes of saved-query answers kept per worker and release
    RESPONSE_MAX = 1 << 20          # larger answers are not kept

    @property
    def quads(self) -> int:
        return self.memo("quads", lambda: len(self.store))

    published: str | None = None      # the release a remote store holds, if it says

    @property
    def held(self) -> str:
        """Where the release's quads are read from: "memory", "disk" or "remote"."""
        return getattr(self.store, "held", "remote")

    @property
    def version(self) -> str:
        return self.release.id if self.release else self.published or "live"

    @property
    def last_modified(self) -> str:
        return format_datetime(self.created, usegmt=True)

    def etag(self, body: bytes, media_type: str = "") -> str:
        """A strong ETag for a representation of this release. Two representations with the
        same bytes in different media types (N-Triples and N-Quads of one document, Turtle
        and TriG) are different representations, so the media type is part of it."""
        typed = media_type.encode() + b"\0" if media_type else b""
        return '"' + hashlib.sha256(self.version.encode() + b"\0" + typed + body).hexdigest()[:32] + '"'

    def cached(self, key: tuple, make) -> Cached:
        with self.lock:
            hit = self.cache.get(key)
            if hit is not None:
                self.cache.move_to_end(key)
                return hit
        media_type, body = make()
        etag = self.etag(body, media_type)
        entry = Cached(body, etag, media_type, repr_digest_of(body))
        with self.lock:
            self.cache[key] = entry
            while len(self.cache) > 20_000:
                self.cache.popitem(last=False)
        return entry

    def recall(self, key: tuple) -> tuple | None:
        """A saved query's answer kept from an earlier request: (status, headers, body, etag)."""
        with self.lock:
            hit = self.responses.get(key)
            if hit is not None:
                self.responses.move_to_end(key)
            return hit

    def remember(self, key: tuple, status: int, headers: list, body: bytes) -> tuple:
        """Keep an answer (the release cannot change under it); least recently used go first."""
        etag = self.etag(body, next((v for k, v in headers if k.lower() == "content-type"), ""))
        entry = (status, headers, body, etag)
        if len(body) > self.RESPONSE_MAX:
            return entry
        with self.lock:
            old = self.responses.pop(key, None)
            if old is not None:
                self.response_bytes -= len(old[2])
            self.responses[key] = entry
            self.response_bytes += len(body)
            while self.response_bytes > self.RESPONSE_BUDGET:
                _key, dropped = self.responses.popitem(last=False)
                self.response_bytes -= len(dropped[2])
        return entry

    def known(self, key, make):
        """A small answer about one resource of the release (is it there, was it retired),
        computed once and kept among the most recently asked (LRU, bounded): a crawler asking
        for every identifier must not grow the worker without end."""
        with self.lock:
            if key in self.lookups:
                self.lookups.move_to_end(key)
                return self.lookups[key]
        value = make()
        with self.lock:
            self.lookups[key] = value
            while len(self.lookups) > self.LOOKUPS_MAX:
                self.lookups.popitem(last=False)
        return value

    def memo(self, key, make):
        """A value derived from the release, computed once (indexes, counts, VoID)."""
        with self.lock:
            if key in self.memos:
                return self.memos[key]
        value = make()
        with self.lock:
            self.memos.setdefault(key, value)
        return value

    def label(self, iri: str, lang: str = "en") -> str | None:
        found = self.label_in(iri, lang)
        return found[0] if found else None

    def label_in(self, iri: str, lang: str = "en") -> tuple[str, str] | None:
        """(label, its language): in `lang` if there is one, else English, else any."""
        forms = self.labels.get(iri)
        if not forms:
            return None
        for choice in (lang, "en"):
            if choice in forms:
                return forms[choice], choice
        return next((text, language) for language, text in forms.items())

    @property
    def label_languages(self) -> list[str]:
        """The languages the collection's names are in."""
        return self.memo("label-languages", lambda: sorted(
            {language for forms in self.labels.values() for language in forms}))


class Site:
    """The web tier's handle on what it serves: the configuration, the URL builder and the
    snapshot of the current release (reopened when `var/current` changes)."""

    def __init__(self, config: Config, store_factory=None, for_queries: bool = False):
        self.config = config
        self.for_queries = for_queries
        self.uris = Uris(config.base_uri)
        self.urls = Urls(self.uris)
        self._store_factory = store_factory
        self._snapshot: Snapshot | None = None
        self._checked = 0.0
        self._link: str | None = None
        self._loading: str | None = None      # the release being loaded aside, if one is
        self._failed: tuple[str, float] | None = None   # one that could not be, and when
        self._lock = threading.Lock()
        self._project_saved = saved_queries.load_all(config.queries_dir)

    @property
    def saved(self) -> dict:
        """The saved queries of the release served now (those it was built with), or the
        project's. They belong to the snapshot: a release being loaded aside does not change
        them before it is served."""
        return self.saved_of(self.snapshot)

    def saved_of(self, snapshot: Callable[[], Snapshot]) -> dict:
        try:
            snap = snapshot()
        except MemorialGraphError:      # nothing built yet: the project's queries
            return self._project_saved
        return snap.saved if snap.saved is not None else self._project_saved

    # ---- the current snapshot
    def current(self) -> Snapshot | None:
        """The snapshot served now, without looking for a new one (None before the first)."""
        return self._snapshot

    def due(self) -> bool:
        """Whether `snapshot()` would look for a new release now."""
        return time.monotonic() - self._checked >= LOOK_EVERY

    def snapshot(self) -> Snapshot:
        now = time.monotonic()
        if self._snapshot is not None and now - self._checked < LOOK_EVERY:
            return self._snapshot
        with self._lock:
            self._checked = now
            link = self._current_link()
            if self._snapshot is None:
                self._snapshot, self._link = self._open(), link
            elif link != self._link and self._loading is None and not self._failed_lately(
                    link, now):
                # One release is loaded aside at a time: one that becomes current meanwhile
                # is looked at when that load has ended.
                if self._loads_into_memory():
                    self._loading = link
                    threading.Thread(target=self._load_aside, args=(link,), daemon=True,
                                     name="release-loader").start()
                else:
                    self._snapshot, self._link = self._open(), link
        return self._snapshot

    def _failed_lately(self, link: str | None, now: float) -> bool:
        """Whether this release's load failed less than RETRY_LOAD seconds ago (a failure
        such as running out of memory may pass: it is tried again after that)."""
        return self._failed is not None and self._failed[0] == link and \
            now - self._failed[1] < RETRY_LOAD

    def _loads_into_memory(self) -> bool:
        cfg = self.config
        if cfg.store_url or cfg.data_file or self._store_factory:
            return False
        try:
            return cfg.keeps_in_memory(require_current(cfg.var_dir), self.for_queries)
        except MemorialGraphError:
            return False

    def query_site(self) -> Site:
        """The Site the query processes read: this one when it is held the same way for every
        use (in memory with `in_memory`, a file, a remote store), else one that holds a small
        release in memory (`Config.keeps_in_memory`)."""
        cfg = self.config
        if cfg.in_memory or cfg.data_file or cfg.store_url or self._store_factory or \
                not cfg.in_memory_up_to:
            return self
        return Site(cfg, for_queries=True)

    def _load_aside(self, link: str) -> None:
        try:
            release = read(Path(self.config.var_dir) / link)
            if release is None:
                raise NotBuilt(f"the release {link} is gone")
            snap = self._open(release)
        except Exception:  # noqa: BLE001 - logged; the release before it keeps serving
            log.exception("could not open the release %s; still serving %s (trying again in "
                          "%g s)", link, self._link, RETRY_LOAD)
            snap = None
        with self._lock:
            self._loading = None
            self._checked = 0.0          # the next request looks at var/current again
            if snap is None:
                self._failed = (link, time.monotonic())
            elif self._current_link() == link:
                self._snapshot, self._link = snap, link
            # else var/current moved on while it loaded: dropped; the next look loads that one

    def _current_link(self) -> str | None:
        if self.config.store_url and not self._store_factory:
            published = self._published()
            return published.key if published else self._link
        if self.config.data_file or self.config.store_url or self._store_factory:
            return "static"
        return current_link(self.config.var_dir)

    def _published(self):
        """What the remote store's marker names (a `remote.Published`; None: it names no
        release, or cannot be reached now, and the node keeps serving what it has)."""
        try:
            store = self._snapshot.store if self._snapshot is not None else open_store(self.config)
            return store.published(self.uris)
        except MemorialGraphError:
            return None

    def _open(self, current: Release | None = None) -> Snapshot:
        """A snapshot of what is served now (of `current`, when given: a release loaded aside
        is the one var/current pointed at when its load began)."""
        cfg = self.config
        release = None
        if self._store_factory is not None:
            store = self._store_factory(cfg)
            created = datetime.now().astimezone()
        elif cfg.store_url:
            # The store reads the graphs of the load the marker names now; a publish after
            # this leaves them whole, and the next check of the marker opens the new load.
            published = self._published()
            store = open_store(cfg, published=published) if published else open_store(cfg)
            created = published.modified if published else datetime.now().astimezone()
        elif cfg.data_file:
            store = open_store(cfg)
            created = datetime.fromtimestamp(Path(cfg.data_file).stat().st_mtime).astimezone()
        else:
            release = current or require_current(cfg.var_dir)
            store = open_store(cfg, release, for_queries=self.for_queries)
            created = release.created
        snap = load_snapshot(release, store, created)
        if release is not None and (release.path / "queries").is_dir():
            snap.saved = saved_queries.load_all(release.path / "queries")
        if cfg.store_url and not self._store_factory:
            snap.published = published.release if published else None
        return snap

    # ---- helpers used by views
    def property_label(self, snap: Snapshot, iri: str) -> str:
        return snap.property_labels.get(iri) or ns.compact(iri)


class RequestSite:
    """The site as one request sees it (`g.site`): the snapshot it first asks for, for the
    whole request. A request that read one release and then another (var/current changed
    between two calls) would label an answer computed on one with the other's ETag."""

    def __init__(self, site: Site):
        self._site = site
        self._snap: Snapshot | None = None

    def snapshot(self) -> Snapshot:
        if self._snap is None:
            self._snap = self._site.snapshot()
        return self._snap

    @property
    def saved(self) -> dict:
        return self._site.saved_of(self.snapshot)

    def __getattr__(self, name: str):
        return getattr(self._site, name)


def load_snapshot(release: Release | None, store, created: datetime) -> Snapshot:
    """A snapshot of one release over its open store: labels, classes, the collection's
    description (the current release's, or a past one's opened by `archive.py`)."""
    snap = Snapshot(release, store, created, EntityClasses.from_store(store))
    for row in store.select(load("labels")):
        lang = row["label"].language or "en" if isinstance(row["label"], ox.Literal) else "en"
        snap.labels.setdefault(row["s"].value, {}).setdefault(lang, row["label"].value)
    for row in store.select(load("collection-meta")):
        key = row["p"].value.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        if key in ("exampleResource", "editor"):
            snap.meta.setdefault("examples" if key == "exampleResource" else "editors",
                                 []).append(row["o"].value)
        else:
            snap.meta[key] = row["o"].value
    for row in store.select(load("property-labels")):
        snap.property_labels.setdefault(row["p"].value, row["label"].value)
        if "many" in row:
            snap.many_valued.add(row["p"].value)
    return snap
