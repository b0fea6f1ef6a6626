"""Issue 9: "every killed build leaves var/releases/.tmp-* (8 kills: 512 MB, never removed) and,
during SHACL, a spawned worker and its resource tracker blocked for good".

A killed build's validation workers die with it, and the next build removes what it left."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.generate import generate
from memorial_graph.build import build
from memorial_graph.config import Config
from memorial_graph.processes import alive
from tests.conftest import ROOT
from tests.server import children


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def test_a_killed_build_leaves_no_worker_and_the_next_build_cleans_up(tmp_path):
    project = tmp_path / "archive"
    generate(project, 30_000, seed=3)
    build_cmd = [sys.executable, "-m", "memorial_graph.cli", "--project", str(project), "-q", "build"]
    process = subprocess.Popen(build_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 60
    while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
        workers = {c for c in children(process.pid)
                   if b"multiprocessing" in Path(f"/proc/{c}/cmdline").read_bytes()}
        time.sleep(0.05)
    assert len(workers) >= 2, "the build's validation workers did not start"
    # Kill it while a worker is validating a partition (busy, not waiting for work).
    while (process.poll() is None and time.monotonic() < deadline
           and max(_cpu_ticks(w) for w in workers) < 150):
        time.sleep(0.05)
    assert process.poll() is None, "the build finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [w for w in workers if alive(w)]
    for pid in left:            # ours: end them so the test leaves nothing behind either
        os.kill(pid, signal.SIGKILL)
    assert not left, f"validation workers outlived the killed build: {left}"
    releases = project / "var" / "releases"
    assert [p.name for p in releases.iterdir() if p.name.startswith(".tmp-")], \
        "the killed build should have been caught mid-way"

    shutil.rmtree(project / "data")
    shutil.copytree(ROOT / "data", project / "data")
    release = build(Config.for_project(project))
    assert [p.name for p in releases.iterdir()] == [release.id]
