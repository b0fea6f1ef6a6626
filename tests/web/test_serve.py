"""`memorial-graph serve` as started by an operator: what it logs."""

from __future__ import annotations

import time
import urllib.request

from tests.server import running_server


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
