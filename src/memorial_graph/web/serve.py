"""Serving the app: the query service and granian's workers (or Flask's development server),
or one request in-process.

The process tree of `memorial-graph serve` (see docs/deploying.md):

    serve (granian's supervisor)        loads the release first with --in-memory
    ├── query service                   the pool, its queue and the fair-use ledger
    │   └── query process × pool        (die with the service, which dies with serve)
    └── web worker × --workers          granian workers: HTTP, Flask, documents, pages

Everything is forked from the serve process, so a release loaded into memory there is shared
by the web workers and the query processes (copy-on-write) instead of loaded by each.
"""

from __future__ import annotations

import os
import sys

from ..config import Config
from ..errors import NotFound
from ..release import require_current
from . import query_jobs
from .query_client import QueryClient


def check_servable(config: Config) -> None:
    """Raise before starting when there is nothing to serve."""
    if config.data_file:
        if not config.data_file.is_file():
            raise NotFound(f"no such file: {config.data_file}")
    elif not config.store_url:
        require_current(config.var_dir)


def get(config: Config, path: str, headers: dict[str, str] | None = None):
    """Run one GET request in-process, without a server (`serve --get`)."""
    from . import create_app

    return create_app(config).test_client().get(path, headers=headers or {})


def serve(config: Config, dev: bool = False) -> None:
    check_servable(config)
    from . import create_app

    app = create_app(config)
    site = app.extensions["memorial_graph"]
    if config.in_memory or config.data_file:
        site.snapshot()          # loaded once, before the forks that share it
    service = query_jobs.start_service(config, site)
    app.extensions[query_jobs.EXTENSION] = QueryClient(service.socket_path)
    pool = query_jobs.settings(config).pool
    if dev:
        print(f"serving on http://{config.host}:{config.port}/ (development server), "
              f"{pool} query processes", file=sys.stderr, flush=True)
        app.run(host=config.host, port=config.port, threaded=True)
        return
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings
    from granian.server import Server

    from .front import Front

    front = Front(app, config)
    parent = os.getpid()

    def load(_target):
        # In each web worker: die with serve too, so that nothing outlives a killed server.
        from ..processes import die_with_parent

        die_with_parent(parent)
        return front

    server = Server(
        "memorial_graph",
        address=config.host,
        port=config.port,
        interface=Interfaces.RSGI,
        workers=config.workers,
        http=HTTPModes.http1,
        websockets=False,
        http1_settings=HTTP1Settings(header_read_timeout=int(config.read_timeout * 1000),
                                     keep_alive=True),
        log_access=config.access_log,
        respawn_failed_workers=True,
        workers_kill_timeout=10,
    )
    print(f"serving on http://{config.host}:{config.port}/ with {config.workers} web workers "
          f"and {pool} query processes", file=sys.stderr, flush=True)
    try:
        server.serve(target_loader=load)
    finally:
        service.stop()
