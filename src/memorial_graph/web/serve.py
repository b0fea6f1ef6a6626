"""`memorial-graph serve`: the app under gunicorn (or Flask's development server)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..config import Config
from ..errors import NotBuilt
from ..release import current


def config_from_args(args) -> Config:
    return Config.for_project(
        args.project,
        base_uri=args.base_uri,
        query_timeout=args.timeout,
        store_url=args.store,
        data_file=Path(args.data).resolve() if args.data else None,
        in_memory=args.in_memory or None,
        service_allowlist=tuple(args.allow_service),
    )


def serve(args) -> int:
    config = config_from_args(args)
    if not config.data_file and not config.store_url and current(config.var_dir) is None:
        raise NotBuilt("no release to serve: run `memorial-graph build` first (or `make serve`)")
    if config.data_file and not config.data_file.is_file():
        print(f"no such file: {config.data_file}", file=sys.stderr)
        return 2
    from . import create_app

    if args.dev:
        create_app(config).run(host=args.host, port=args.port, threaded=False)
        return 0
    from gunicorn.app.base import BaseApplication

    class Application(BaseApplication):
        def load_config(self):
            options = {
                "bind": f"{args.host}:{args.port}",
                "workers": args.workers,
                "worker_class": "sync",
                # The worker timeout backs up the per-query limit, never undercuts it.
                "timeout": int(config.query_timeout) + 30,
                "graceful_timeout": 10,
                "limit_request_line": 8190,
                "accesslog": "-",
                "errorlog": "-",
                "loglevel": "info",
                "proc_name": "memorial-graph",
                # In memory, the release is loaded once, here, and shared by the workers.
                "preload_app": bool(config.in_memory),
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self):
            # On disk, each worker builds its own app and opens its own read-only store
            # handle. In memory, the master loads the release before forking the workers,
            # which then share its pages (copy-on-write) instead of each loading a copy.
            app = create_app(config)
            if config.in_memory:
                app.extensions["memorial_graph"].snapshot()
            return app

    print(f"serving on http://{args.host}:{args.port}/ with {args.workers} workers",
          file=sys.stderr, flush=True)
    Application().run()
    return 0
