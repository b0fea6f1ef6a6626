"""`make bench-scale`: build a million-claim archive and compare the build with Oxigraph's own
bulk loader (`oxigraph load`) on the same dataset.nq, in the same run.

    python -m bench.scale --claims 1000000          # make bench-scale

Prints `scale: build_s=… load_s=… ratio=… peak_mib=…` as its last line, where peak_mib is the
peak resident memory of all the build's processes together, and writes bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.generate import generate
from bench.run import RESULTS, WORK, peak_rss_mib_of


def _children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--reuse-archive", action="store_true",
                        help="keep an archive generated earlier with the same size")
    args = parser.parse_args()
    project = WORK / f"scale-{args.claims}"
    if not (args.reuse_archive and (project / "data").is_dir()):
        generate(project, args.claims)
    shutil.rmtree(project / "var", ignore_errors=True)
    cpu = _children_cpu_s()
    load_before = os.getloadavg()[0]
    build_s, largest_mib, all_mib = peak_rss_mib_of(
        [sys.executable, "-m", "memorial_graph.cli", "--project", str(project), "-q", "build"])
    build_cpu_s, cpu = _children_cpu_s() - cpu, _children_cpu_s()
    dataset = project / "var" / "current" / "dataset.nq"
    manifest = json.loads((project / "var" / "current" / "manifest.json").read_text())
    location = project / "oxigraph-load"
    shutil.rmtree(location, ignore_errors=True)
    started = time.monotonic()
    subprocess.run([str(Path(sys.executable).with_name("oxigraph")), "load", "--location",
                    str(location), "--file", str(dataset)], check=True, capture_output=True)
    load_s = time.monotonic() - started
    load_cpu_s = _children_cpu_s() - cpu
    shutil.rmtree(location, ignore_errors=True)
    result = {"command": f"python -m bench.scale --claims {args.claims}",
              "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores",
              "claims": manifest["claims"], "quads": manifest["quads"],
              "build_s": round(build_s, 1), "load_s": round(load_s, 1),
              "ratio": round(build_s / load_s, 2), "peak_mib": round(all_mib),
              "peak_largest_process_mib": round(largest_mib),
              # CPU seconds (user + system) of all processes of each side: on a shared
              # machine the wall-clock ratio moves with the others' load, these do not
              "build_cpu_s": round(build_cpu_s, 1), "load_cpu_s": round(load_cpu_s, 1),
              "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)]}
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (RESULTS / f"scale-{stamp}.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result))
    print(f"scale: build_s={result['build_s']} load_s={result['load_s']} "
          f"ratio={result['ratio']} peak_mib={result['peak_mib']}")


if __name__ == "__main__":
    main()
