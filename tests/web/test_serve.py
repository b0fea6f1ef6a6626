"""`memorial-graph serve` as started by an operator: what it logs, the priority of its queries."""

from __future__ import annotations

import os
import time
import urllib.parse
import urllib.request

from tests.server import children, descendants, running_server


def _logged(project, *flags: str) -> str:
    with running_server(project, *flags, workers=1) as base:
        port = base.rsplit(":", 1)[1]
        urllib.request.urlopen(f"{base}/health?probe=1", timeout=10).read()
        time.sleep(0.5)                     # the log line is written after the answer
        return (project / f"server-{port}.log").read_text(encoding="utf-8")


def test_each_request_is_logged_by_default(config):
    assert '"GET /health' in _logged(config.project_dir)


def test_no_access_log_logs_no_request_lines(config):
    log = _logged(config.project_dir, "--no-access-log")
    assert "serving on" in log and '"GET /health' not in log


def _niceness(pid: int) -> int:
    return int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[16])


def test_query_processes_run_at_the_given_niceness(config):
    with running_server(config.project_dir, "--query-nice", "17", workers=1) as base:
        url = f"{base}/sparql?{urllib.parse.urlencode({'query': 'ASK { ?s ?p ?o }'})}"
        urllib.request.urlopen(urllib.request.Request(
            url, headers={"Cache-Control": "no-cache"}), timeout=30).read()
        port = base.rsplit(":", 1)[1].encode()
        root = next(pid for pid in children(os.getpid())
                    if port in open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0"))
        values = {_niceness(pid) for pid in {root, *descendants(root)}}
    assert 17 in values and 0 in values        # query processes at 17, the web at 0
