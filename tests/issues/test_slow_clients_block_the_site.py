"""Defect (issue 9): "Slow clients. Two connections sending one header line every 5 s blocked
`/health` for 38 s; a slow body the same."

Connections belong to granian (Rust): a client still sending its headers holds no Python
worker and is disconnected after the read timeout; a slow body is read asynchronously and
answered 408 after it."""

from __future__ import annotations

import socket
import threading
import time
import urllib.parse
import urllib.request

from tests.server import running_server


def _connect(base: str) -> socket.socket:
    url = urllib.parse.urlparse(base)
    return socket.create_connection((url.hostname, url.port), timeout=30)


def test_slow_headers_and_slow_bodies_do_not_block_others(built):
    config, _ = built
    with running_server(config.project_dir, "--read-timeout", "3", workers=1) as base:
        closed_after = {}

        def slow_headers(n: int):
            sock = _connect(base)
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
            started = time.monotonic()
            try:
                for _ in range(4):
                    time.sleep(2)
                    sock.sendall(b"X-Slow: 1\r\n")
                data = sock.recv(100)
            except OSError:
                data = b""
            closed_after[n] = (time.monotonic() - started, data)
            sock.close()

        slow_body = _connect(base)
        slow_body.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\n"
                          b"Content-Type: application/sparql-query\r\nContent-Length: 100\r\n"
                          b"\r\nASK {")
        threads = [threading.Thread(target=slow_headers, args=(n,)) for n in range(2)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        # Meanwhile /health answers at once, again and again.
        started = time.monotonic()
        for _ in range(20):
            with urllib.request.urlopen(f"{base}/health", timeout=5) as r:
                assert r.status == 200
        assert time.monotonic() - started < 5
        # The slow body gets 408 once the read timeout has passed, and the connection closes.
        slow_body.settimeout(15)
        answer = slow_body.recv(4096)
        assert answer.startswith(b"HTTP/1.1 408"), answer[:100]
        slow_body.close()
        for t in threads:
            t.join(30)
        # The slow-header connections were closed by the server before they finished.
        for seconds, data in closed_after.values():
            assert data == b"" and seconds < 8
