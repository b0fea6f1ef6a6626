"""Configuration as one immutable value, built by the CLI or a test and passed to factories.

Nothing reads configuration at import time; `Config.for_project` fills defaults from a project
directory (the one holding data/, ontology/ and queries/) and `MEMORIAL_GRAPH_*` variables.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from .namespaces import DEFAULT_BASE_URI

# The largest release (quads of its dataset) whose queries `serve` runs over it held in memory
# by default, and what one dataset quad may cost there with its history: twice the ~450 bytes
# measured (640 MiB for the 1.42M of the 100k-claim benchmark archive, in the query service
# and its processes together), for pages its processes come to hold copies of.
# Docs/deploying.md, "Memory or disk".
IN_MEMORY_UP_TO = 2_000_000
BYTES_PER_QUAD = 900


def default_in_memory_up_to(meminfo: str = "/proc/meminfo") -> int:
    """IN_MEMORY_UP_TO quads, or fewer on a machine where they would take more than a quarter
    of the memory available now."""
    try:
        with open(meminfo) as f:
            available = next(int(line.split()[1]) * 1024 for line in f
                             if line.startswith("MemAvailable:"))
    except (OSError, StopIteration, ValueError):
        return IN_MEMORY_UP_TO
    return min(IN_MEMORY_UP_TO, available // 4 // BYTES_PER_QUAD)


@dataclass(frozen=True)
class Config:
    project_dir: Path
    data_dir: Path
    ontology_path: Path
    shapes_path: Path
    queries_dir: Path
    var_dir: Path
    base_uri: str = DEFAULT_BASE_URI
    validator: str = "fast"               # "fast" (pyoxigraph) or "pyshacl" (the reference)
    owl_whole_collection_up_to: int = 20_000   # claims: HermiT checks the whole collection
    owl_sample_claims: int = 5_000             # above that, a sample of about this many claims
    # Serving
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 2
    store_url: str | None = None          # a remote SPARQL 1.1 endpoint instead of the release
    data_file: Path | None = None         # serve any RDF file as a plain endpoint
    in_memory: bool = False               # load the release into memory instead of RocksDB
    # ... or, for queries only, a release of at most this many quads (0: none); `serve`: see
    # default_in_memory_up_to, unless told --on-disk.
    in_memory_up_to: int = 0
    query_timeout: float = 30.0           # seconds a /sparql query may run
    max_body_bytes: int = 1 << 20         # largest request body accepted
    max_result_bytes: int = 256 << 20     # largest /sparql response produced
    buffer_bytes: int = 4 << 20           # results smaller than this are answered in one piece
    service_allowlist: tuple[str, ...] = field(default_factory=tuple)
    # The query pool and fair use (docs/deploying.md)
    query_processes: int = 0              # query processes per server; 0: one per core
    query_queue: int = -1                 # jobs waiting for a process; -1: twice the pool
    query_memory_bytes: int = 2 << 30     # memory one query may add to its process
    query_nice: int = 10                  # CPU priority of query processes below the web's
    query_budget: float = 60.0            # seconds of query time per client per window
    query_budget_window: float = 60.0
    client_queries: int = 4               # queries one client may have running or waiting
    trusted_proxies: int = 0              # reverse proxies whose X-Forwarded-For we believe
    read_timeout: float = 10.0            # seconds to send the request headers, and its body
    query_socket: str | None = None       # the query service's socket (set by `serve`)
    cache_seconds: int = 300              # Cache-Control max-age for release-bound documents
    access_log: bool = True               # one log line per request (off behind a proxy that logs)
    response_cache_bytes: int = 32 << 20  # shareable responses the front keeps per web worker

    @classmethod
    def for_project(cls, project_dir: Path | str | None = None, **overrides) -> Config:
        root = Path(project_dir or os.environ.get("MEMORIAL_GRAPH_PROJECT") or Path.cwd())
        root = root.resolve()
        env = os.environ
        values = dict(
            project_dir=root,
            data_dir=root / "data",
            ontology_path=root / "ontology" / "memorial.ttl",
            shapes_path=root / "ontology" / "shapes.ttl",
            queries_dir=root / "queries",
            var_dir=Path(env.get("MEMORIAL_GRAPH_VAR", root / "var")),
            base_uri=env.get("MEMORIAL_GRAPH_BASE_URI", DEFAULT_BASE_URI),
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes) -> Config:
        return replace(self, **changes)

    def keeps_in_memory(self, release, for_queries: bool = False) -> bool:
        """Whether this release is loaded into memory rather than read from its RocksDB store:
        for every use with `in_memory`; for the query processes (`for_queries`) also when it
        has at most `in_memory_up_to` quads."""
        return self.in_memory or for_queries and 0 < release.quads <= self.in_memory_up_to
