"""Start the real server (`memorial-graph serve`: granian, the query service) on 127.0.0.1 for
integration tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path


def parents() -> dict[int, int]:
    """Every process on the machine and its parent, from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            found[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return found


def children(pid: int) -> set[int]:
    return {child for child, parent in parents().items() if parent == pid}


def descendants(root: int) -> set[int]:
    links = parents()
    found, frontier = set(), [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in links.items():
            if parent == pid and child not in found:
                found.add(child)
                frontier.append(child)
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 30.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@contextmanager
def running_server(project: Path, *extra: str, workers: int = 2, wait: float = 30.0):
    """Yield the base URL of a server started by us; stop exactly that process group."""
    port = free_port()
    log = open(project / f"server-{port}.log", "wb")  # noqa: SIM115 - closed below
    cmd = [sys.executable, "-m", "memorial_graph.cli", "--project", str(project), "serve",
           "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), *extra]
    process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/health", timeout=wait, process=process)
        yield base
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


@contextmanager
def running_process(cmd: list[str], ready_url: str, name: str, log_path: Path | None = None,
                    wait: float = 60.0, cwd: Path | None = None):
    """Start a server process in its own process group, wait until `ready_url` answers, and
    stop exactly that group at the end (SIGTERM, then SIGKILL)."""
    log = open(log_path or os.devnull, "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                               cwd=cwd)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                with urllib.request.urlopen(ready_url, timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not start"
                                       + (f"; see {log_path}" if log_path else "")) from None
                time.sleep(0.2)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


@contextmanager
def _oxigraph(args: list[str], log_path: Path | None = None):
    """Start the `oxigraph` CLI (PyPI package `oxigraph`) on a free loopback port."""
    binary = Path(sys.executable).with_name("oxigraph")
    base = f"http://127.0.0.1:{free_port()}"
    cmd = [str(binary), *args, "--bind", base.removeprefix("http://"), "--union-default-graph"]
    with running_process(cmd, base + "/query?query=ASK%7B%7D", f"oxigraph {args[0]}", log_path):
        yield base


@contextmanager
def running_oxigraph(directory: Path, *extra: str):
    """A real, writable `oxigraph serve` in `directory`; yields its base URL."""
    location = directory / f"oxigraph-{free_port()}"
    with _oxigraph(["serve", "--location", str(location), *extra],
                   directory / f"{location.name}.log") as base:
        yield base


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
ServerThreads = 10
CheckpointInterval = 60
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {dir}
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""
VIRTUOSO_DBA = ("dba", "dba")   # a fresh database's administrator, on loopback, for tests


@contextmanager
def running_virtuoso(directory: Path):
    """A real Virtuoso (Debian's virtuoso-opensource-7-bin) with its own database directory
    and ports on loopback; yields the base URL of its HTTP server. Stopped by PID."""
    home = directory / f"virtuoso-{free_port()}"
    home.mkdir(parents=True)
    ini = home / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=home, sql_port=free_port(), http_port=(port := free_port())),
                   encoding="utf-8")
    base = f"http://127.0.0.1:{port}"
    with running_process(["virtuoso-t", "+foreground", "+configfile", str(ini)],
                         base + "/sparql?query=ASK%7B%7D", "virtuoso", home / "server.log",
                         cwd=home):
        yield base


def publish_to_virtuoso(project: Path, base: str) -> None:
    user, password = VIRTUOSO_DBA
    subprocess.run([sys.executable, "-m", "memorial_graph.cli", "--project", str(project), "-q",
                    "publish", "--to", f"{base}/sparql", "--update-url", f"{base}/sparql-auth",
                    "--user", user, "--auth", "digest"], check=True, timeout=300,
                   env=dict(os.environ, MEMORIAL_GRAPH_STORE_PASSWORD=password))


@contextmanager
def running_publisher(project: Path, backend: str, *extra: str):
    """Our server over the embedded store (on disk, or loaded into memory once by the serve
    process and shared by its workers), or over a real Oxigraph or Virtuoso server we publish
    to."""
    if backend in ("embedded", "in-memory"):
        flags = ("--in-memory",) if backend == "in-memory" else ("--on-disk",)
        with running_server(project, *flags, *extra) as base:
            yield base
        return
    if backend == "virtuoso":
        with running_virtuoso(project) as store:
            publish_to_virtuoso(project, store)
            with running_server(project, "--store", f"{store}/sparql", *extra) as base:
                yield base
        return
    with running_oxigraph(project, "--timeout-s", "5") as store:
        subprocess.run([sys.executable, "-m", "memorial_graph.cli", "--project", str(project),
                        "-q", "publish", "--to", f"{store}/query"], check=True, timeout=120)
        with running_server(project, "--store", f"{store}/query", *extra) as base:
            yield base


@contextmanager
def running_oxigraph_readonly(location: Path):
    """`oxigraph serve-read-only` over an existing store (the benchmark's anchor)."""
    with _oxigraph(["serve-read-only", "--location", str(location)]) as base:
        yield base
