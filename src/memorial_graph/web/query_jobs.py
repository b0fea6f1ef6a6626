"""How a request's query job reaches the query service, and the fair-use headers of its answer.

The app holds one `QueryClient` (`app.extensions["memorial_graph.queries"]`): the service
`serve` started, or, in a process that has none (Flask's test client, `serve --get`), one
started on first use. The front (`front.py`) lets a waiting request learn that its HTTP
client went away (`environ["memorial_graph.on_disconnect"]`), so the query is stopped.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from flask import current_app, request

from ..config import Config
from . import query_service
from .fair_use import Policy, client_of
from .query_client import Outcome, QueryClient
from .query_process import Limits

EXTENSION = "memorial_graph.queries"
ON_DISCONNECT = "memorial_graph.on_disconnect"


def client() -> QueryClient:
    return current_app.extensions[EXTENSION]


def run(job: dict) -> Outcome:
    """Run a job for the current request's client, waiting for its answer."""
    config = current_app.config["MEMORIAL_GRAPH"]
    who = client_of(request.environ, config.trusted_proxies)
    return client().run(job, who, config.query_timeout, config.buffer_bytes,
                        config.max_result_bytes, request.environ.get(ON_DISCONNECT))


def fair_use_headers(outcome: Outcome) -> dict[str, str]:
    config = current_app.config["MEMORIAL_GRAPH"]
    headers = {"RateLimit-Policy": policy(config).policy_header()}
    state = outcome.fair_use
    if state:
        headers["RateLimit"] = f'"query-time";r={state["remaining"]:g};t={state["full_in"]}'
    return headers


def policy(config) -> Policy:
    return Policy(config.query_budget, config.query_budget_window, config.client_queries)


def settings(config: Config) -> query_service.Settings:
    pool = config.query_processes or os.cpu_count() or 1
    return query_service.Settings(
        pool=pool,
        queue=config.query_queue if config.query_queue >= 0 else 2 * pool,
        limits=Limits(config.query_timeout, config.query_memory_bytes, config.query_nice),
        fair_use=policy(config))


def serving(config: Config) -> dict | None:
    """What the query service says its processes serve (`query_service.STATE`): the release
    they hold and where they read it from; None before it has said (or with no service)."""
    if not config.query_socket:
        return None
    try:
        with open(Path(config.query_socket).with_name(query_service.STATE),
                  encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def start_service(config: Config, site) -> query_service.Handle:
    """Fork the query service. Its query processes answer with `sparql`'s handler over the
    current snapshot of `site.query_site()`, opened in the service before it forks them (or
    already loaded, with `--in-memory`, before the service was forked)."""
    from .sparql import _handler

    queries: list = []           # the service's Site, made in the service on its first call

    def make_handler():
        if not queries:
            queries.append(site.query_site())
        snap = queries[0].snapshot()
        # The release's id too: a freed snapshot's id() may be reused by a later one.
        return ((id(snap), snap.release and snap.release.id), _handler(snap, site.urls),
                {"release": snap.version, "queries": snap.held})

    return query_service.start(settings(config), make_handler)
