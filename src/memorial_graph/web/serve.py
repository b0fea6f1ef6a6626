"""Serving the app: under gunicorn (or Flask's development server), or one request in-process."""

from __future__ import annotations

import sys

from ..config import Config
from ..errors import NotFound
from ..release import require_current


def check_servable(config: Config) -> None:
    """Raise before starting when there is nothing to serve."""
    if config.data_file:
        if not config.data_file.is_file():
            raise NotFound(f"no such file: {config.data_file}")
    elif not config.store_url:
        require_current(config.var_dir)


def get(config: Config, path: str, headers: dict[str, str] | None = None):
    """Run one GET request in-process, without a server (`serve --get PATH`)."""
    from . import create_app

    return create_app(config).test_client().get(path, headers=headers or {})


def serve(config: Config, dev: bool = False) -> None:
    check_servable(config)
    from . import create_app


    if dev:
        create_app(config).run(host=config.host, port=config.port, threaded=False)
        return
    from gunicorn.app.base import BaseApplication

    class Application(BaseApplication):
        def load_config(self):
            options = {
                "bind": f"{config.host}:{config.port}",
                "workers": config.workers,
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

    print(f"serving on http://{config.host}:{config.port}/ with {config.workers} workers",
          file=sys.stderr, flush=True)
    Application().run()
