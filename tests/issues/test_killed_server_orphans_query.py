"""Defect (issue 9): "Orphans. `kill -9` of the worker that owns a busy query process: the
process ran on at 100% CPU, reparented to PID 1."

Query processes die with the query service, which dies with the server
(PR_SET_PDEATHSIG): SIGKILL the server's main process during a query and no process of its
tree is left, checked by PID."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

from memorial_graph.processes import alive
from tests.server import descendants, free_port, wait_for

RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_sigkill_of_the_server_leaves_no_query_process(built):
    config, _ = built
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "memorial_graph.cli", "--project", str(config.project_dir),
         "serve", "--port", str(port), "--timeout", "60"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/health", process=process)
        url = f"{base}/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})
        threading.Thread(target=lambda: _quietly(url), daemon=True).start()
        time.sleep(1.5)                       # the query is running
        tree = descendants(process.pid)
        assert len(tree) >= 4                 # web workers, the service, its query processes
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        deadline = time.monotonic() + 10
        while any(alive(p) for p in tree) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [p for p in tree if alive(p)] == []
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _quietly(url: str) -> None:
    try:
        urllib.request.urlopen(url, timeout=60).read()
    except OSError:
        pass
