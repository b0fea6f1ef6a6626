"""The benchmark: our server and `oxigraph serve` over the same archive, side by side.

    python -m bench.run --sizes 10000 --quick          # make bench-quick
    python -m bench.run --sizes 100000,1000000         # make bench

For each size it generates the synthetic archive (bench/generate.py), builds it (timing the
build and its peak memory), loads the same N-Quads into an Oxigraph store, starts both
servers on 127.0.0.1, and drives them with wrk (closed loop, interleaved, several
repetitions; medians). Results go to bench/results/ and docs/performance.md; the last line
printed is `ratios: deref=X lookup=Y lookup_nocache=Z ask=W deref_under_load=V` (ours /
Oxigraph; deref_under_load is ours with 4 runaway queries running / ours idle).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

from bench.generate import generate
from memorial_graph.config import default_in_memory_up_to
from tests.server import free_port, running_oxigraph_readonly, running_server

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"
LUA = Path(__file__).with_name("report.lua")
PREFIXES = ("PREFIX mg: <https://w3id.org/memorial-graph/ontology#>\n"
            "PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/>\n"
            "PREFIX oa: <http://www.w3.org/ns/oa#>\n"
            "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n")


def bind(query: str, **values: str) -> str:
    """Benchmark-only: the same query text for both servers, with constants in a VALUES block
    opening each WHERE clause (a trailing one would reach BIND and FILTER too late)."""
    from memorial_graph.sparql_text import where_clause_starts

    names = " ".join(f"?{k}" for k in values)
    terms = " ".join(values.values())
    block = f" VALUES ({names}) {{ ({terms}) }}\n"
    for start in reversed(where_clause_starts(query)):
        query = query[:start] + block + query[start:]
    return query


def one_construct(entity: str) -> str:
    """The entity document as ONE CONSTRUCT for Oxigraph: our parts as UNION branches, each
    with its own variable names, the entity's IRI written in (it is a constant here)."""
    import re

    from memorial_graph.web.documents import document_parts

    prefixes, templates, patterns = "", [], []
    for i, part in enumerate(document_parts()):
        head = "".join(ln + "\n" for ln in part.splitlines() if ln.startswith("PREFIX"))
        prefixes = prefixes or head
        body = "\n".join(ln for ln in part.splitlines() if not ln.startswith(("PREFIX", "#")))
        body = re.sub(r"\?(?!entity\b)(\w+)", lambda m, i=i: f"?{m.group(1)}_{i}", body)
        template, _, where = body.partition("WHERE")
        templates.append(template.strip()[len("CONSTRUCT"):].strip()[1:-1].strip().rstrip("."))
        patterns.append(where.strip())
    text = (prefixes + "CONSTRUCT { " + " . ".join(templates) + " } WHERE { "
            + " UNION ".join(patterns) + " }")
    return text.replace("?entity", f"<{entity}>")


def scenarios(entity: str) -> dict[str, dict]:
    saved = {p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "queries").glob("*.rq")}
    ident = entity.rsplit("/", 1)[-1]
    document = one_construct(entity)
    lookup = bind(saved["claims-about-entity"], entity=f"<{entity}>")
    return {
        "deref": {"ours": (f"/doc/{ident}.ttl", "text/turtle"),
                  "oxigraph": ("/query?" + urllib.parse.urlencode({"query": document}),
                               "text/turtle")},
        "lookup": {"ours": ("/queries/claims-about-entity?" + urllib.parse.urlencode(
                                {"entity": entity}), "application/sparql-results+json"),
                   "oxigraph": ("/query?" + urllib.parse.urlencode({"query": lookup}),
                                "application/sparql-results+json")},
        # The same, but asking our server to run the query again (no kept answer).
        "lookup (no-cache)": {
            "ours": ("/queries/claims-about-entity?" + urllib.parse.urlencode({"entity": entity}),
                     "application/sparql-results+json", "Cache-Control: no-cache"),
            "oxigraph": ("/query?" + urllib.parse.urlencode({"query": lookup}),
                         "application/sparql-results+json")},
        # The engine rows run every time (no-cache): a repeated GET would otherwise be
        # answered from our shared cache, and these rows measure evaluation.
        "aggregate": _both(saved["claims-per-source"], NO_CACHE),
        "label-search": _both(bind(saved["label-search"], text='"ova 1"'), NO_CACHE),
        "select-10k": _both("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10000", NO_CACHE),
        # A repeated GET: ours answers it from the shared cache (a release cannot change
        # under it), Oxigraph runs it. With no-cache, ours runs it too: the per-query floor.
        "ask": _both("ASK {}"),
        "ask (no-cache)": _both("ASK {}", NO_CACHE),
    }


NO_CACHE = "Cache-Control: no-cache"


def _both(query: str, *headers: str) -> dict:
    q = urllib.parse.urlencode({"query": query})
    return {"ours": (f"/sparql?{q}", "application/sparql-results+json", *headers),
            "oxigraph": (f"/query?{q}", "application/sparql-results+json", *headers)}


def wrk(base: str, path: str, accept: str, seconds: int, connections: int,
        *headers: str) -> dict:
    cmd = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s",
           "--timeout", "120s", "-H", f"Accept: {accept}", "-s", str(LUA)]
    for header in headers:
        cmd += ["-H", header]
    cmd.append(base + path)
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 180)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if not lines:
        raise RuntimeError(f"wrk gave no result for {base}{path[:80]}: {done.stdout[-300:]} "
                           f"{done.stderr[-300:]}")
    return json.loads(lines[-1])


def one_round(base: str, path: str, accept: str, connections: int, headers) -> dict:
    """`connections` clients each send one request at once; throughput and latencies."""
    from concurrent.futures import ThreadPoolExecutor

    def fetch(_n: int) -> tuple[float, bool]:
        request = urllib.request.Request(base + path, headers={
            "Accept": accept, **dict(h.split(": ", 1) for h in headers)})
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=600) as response:
                response.read()
                ok = response.status == 200
        except OSError:
            ok = False
        return time.monotonic() - started, ok

    started = time.monotonic()
    with ThreadPoolExecutor(connections) as pool:
        timings = list(pool.map(fetch, range(connections)))
    elapsed = time.monotonic() - started
    latencies = sorted(t for t, _ok in timings)
    good = sum(ok for _t, ok in timings)
    return {"rps": good / elapsed, "p50": statistics.median(latencies) * 1000,
            "p95": latencies[-1] * 1000, "errors": len(timings) - good, "requests": len(timings),
            "one_round": True}


def _tree_rss_kib(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    total = 0
    for pid in _tree([root]):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        total += next((int(ln.split()[1]) for ln in status.splitlines()
                       if ln.startswith("VmRSS:")), 0)
    return total


def peak_rss_mib_of(cmd: list[str]) -> tuple[float, float, float]:
    """Run a command; return (seconds, peak MiB of its largest process, peak MiB of all its
    processes together, sampled every 0.5 s). The largest process's peak is the kernel's
    (`wait4`'s rusage: this command and the descendants it waited for, nothing run before)."""
    started = time.monotonic()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    total = 0
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        total = max(total, _tree_rss_kib(process.pid))
        time.sleep(0.5)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, cmd)
    seconds = time.monotonic() - started
    return seconds, usage.ru_maxrss / 1024, total / 1024


def prepare(size: int, reuse: bool) -> dict:
    """Generate and build the archive and load Oxigraph's store; with `reuse`, keep what an
    earlier run of this size prepared (its build measurements are in build.json)."""
    project = WORK / f"archive-{size}"
    record = project / "build.json"
    if reuse and record.exists() and (project / "var" / "current").exists() \
            and (project / "oxigraph-store").exists():
        return {**json.loads(record.read_text()), "build_reused": True}
    t0 = time.monotonic()
    info = generate(project, size)
    generate_s = time.monotonic() - t0
    if (project / "var").exists():
        shutil.rmtree(project / "var")
    build_s, build_mib, build_total_mib = peak_rss_mib_of(
        [sys.executable, "-m", "memorial_graph.cli", "--project", str(project), "-q", "build"])
    release = project / "var" / "current"
    oxi_dir = project / "oxigraph-store"
    if oxi_dir.exists():
        shutil.rmtree(oxi_dir)
    binary = Path(sys.executable).with_name("oxigraph")
    subprocess.run([str(binary), "load", "--location", str(oxi_dir), "--file",
                    str(release / "dataset.nq")], check=True, capture_output=True)
    built = {"claims": info["claims"], "entities": info["entities"],
             "generate_s": round(generate_s, 1), "build_s": round(build_s, 1),
             "build_peak_mib": round(build_mib),
             "build_peak_all_processes_mib": round(build_total_mib)}
    record.write_text(json.dumps(built, indent=1) + "\n")
    return {**built, "build_reused": False}


def run_size(size: int, reps: int, seconds: int, connections: int, reuse: bool = False,
             only: set[str] | None = None) -> dict:
    project = WORK / f"archive-{size}"
    built = prepare(size, reuse)
    release = project / "var" / "current"
    oxi_dir = project / "oxigraph-store"
    manifest = json.loads((release / "manifest.json").read_text())
    entity = _busiest_entity(project)
    plan = {name: sides for name, sides in scenarios(entity).items()
            if not only or name in only}
    results: dict[str, dict[str, list]] = {name: {"ours": [], "oxigraph": []} for name in plan}
    start = time.monotonic()
    under_load = None
    # At a million claims the first /health opens the release (labels, indexes): allow for it.
    with running_server(project, *OURS, workers=WORKERS, wait=600) as ours, \
            running_oxigraph_readonly(oxi_dir) as oxi:
        startup_s = time.monotonic() - start
        worker_mib = measure(plan, results, {"ours": ours, "oxigraph": oxi}, reps, seconds,
                             connections)
        if "deref" in plan:
            under_load = deref_under_load(ours, plan["deref"]["ours"], reps, seconds,
                                          connections)
    # The engine rows and the uncached lookup again with our release held the other way:
    # queries on disk too where `serve`'s query processes hold it in memory by default (a
    # release of up to IN_MEMORY_UP_TO quads), everything in memory (loaded once, shared by
    # all the processes) where they read the disk; against the Oxigraph measurements above
    # (the same Oxigraph, the same requests).
    in_memory = manifest["quads"] <= default_in_memory_up_to()
    other_flag, suffix = ("--on-disk", " (on disk)") if in_memory else \
        ("--in-memory", " (in memory)")
    other_plan = {f"{name}{suffix}": plan[name]
                  for name in ("lookup (no-cache)", "aggregate", "select-10k") if name in plan}
    other_start_s = other_mib = None
    start = time.monotonic()
    with running_server(project, other_flag, *OURS, workers=WORKERS,
                        wait=900) if other_plan else nullcontext() as ours_other:
        other_start_s = round(time.monotonic() - start, 1) if other_plan else None
        other_mib = _tree_rss_mib_of_server(ours_other) if other_plan else None
        for name in other_plan:
            results[name] = {"ours": [], "oxigraph": results[name.removesuffix(suffix)]
                             ["oxigraph"]}
        measure(other_plan, results, {"ours": ours_other}, reps, seconds, connections,
                sides=("ours",))
    summary = {}
    for name, sides in results.items():
        row = {}
        for side, runs in sides.items():
            row[side] = {"rps": statistics.median(r["rps"] for r in runs),
                         "p50_ms": statistics.median(r["p50"] for r in runs),
                         "p95_ms": statistics.median(r["p95"] for r in runs),
                         "errors": sum(r["errors"] for r in runs),
                         "one_round": any(r.get("one_round") for r in runs)}
        row["ratio"] = row["ours"]["rps"] / row["oxigraph"]["rps"] if row["oxigraph"]["rps"] else 0
        summary[name] = row
    if under_load is not None:
        idle = summary["deref"]["ours"]["rps"]
        loaded = statistics.median(r["rps"] for r in under_load)
        summary["deref under load"] = {
            "ours": {"rps": loaded, "p50_ms": statistics.median(r["p50"] for r in under_load),
                     "p95_ms": statistics.median(r["p95"] for r in under_load),
                     "errors": sum(r["errors"] for r in under_load), "one_round": False},
            "oxigraph": {"rps": idle, "p50_ms": summary["deref"]["ours"]["p50_ms"],
                         "p95_ms": summary["deref"]["ours"]["p95_ms"], "errors": 0,
                         "one_round": False},
            "ratio": loaded / idle if idle else 0, "against": "ours, idle"}
    return {"size": size, **built, "quads": manifest["quads"],
            "store": "memory" if in_memory else "disk",
            "other_store_server_start_s": other_start_s,
            "other_store_server_rss_mib": other_mib,
            "server_start_s": round(startup_s, 1), "worker_rss_mib": worker_mib,
            "owl_check": manifest.get("owl_check"), "entity": entity,
            "connections": connections, "seconds": seconds, "repetitions": reps,
            "scenarios": summary}


WORKERS = 2          # our server's web workers in the benchmark
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
# Our server as benchmarked: a long time limit, and fair use lifted (Oxigraph has none; the
# benchmark is one client hammering both).
OURS = ("--timeout", "120", "--query-budget", "1000000", "--client-queries", "64")


def deref_under_load(base: str, side: tuple, reps: int, seconds: int,
                     connections: int) -> list[dict]:
    """`/doc` throughput while 4 runaway queries run (each held open on its own connection,
    then hung up on, which stops it)."""
    import socket

    path, accept, *headers = side
    url = urllib.parse.urlparse(base)
    runs = []
    for _rep in range(reps):
        held = []
        for _ in range(4):
            sock = socket.create_connection((url.hostname, url.port))
            sock.sendall(f"GET /sparql?{urllib.parse.urlencode({'query': RUNAWAY})} HTTP/1.1\r\n"
                         f"Host: {url.netloc}\r\nAccept: application/sparql-results+json\r\n"
                         f"\r\n".encode())
            held.append(sock)
        time.sleep(1.0)
        try:
            runs.append(wrk(base, path, accept, seconds, connections, *headers))
        finally:
            for sock in held:
                sock.close()
        quiesce([base])
    return runs


def measure(plan: dict, results: dict, bases: dict, reps: int, seconds: int,
            connections: int, sides: tuple[str, ...] = ("ours", "oxigraph")) -> float | None:
    """wrk over every scenario, the servers interleaved, `reps` times; our worker RSS after.

    A scenario whose warm-up request does not finish within a second on a side is slow
    there: instead of a wrk window (which would end with requests abandoned mid-query),
    it is timed as one round of two concurrent requests (one per core), run to completion.
    The first request to a fresh server also opens its release (labels, indexes, the query
    service's processes), so a side gets a warm-up per web worker and one more before it is
    called slow.
    """
    slow: set[tuple[str, str]] = set()
    if "ours" in sides and plan:
        # Each web worker opens the release on its first request (labels, indexes: over a
        # second at 100k claims): have every one of them open it now, so that a scenario's
        # warm-up below measures the scenario. Many concurrent requests, run to completion,
        # reach every worker.
        for _round in range(2):
            one_round(bases["ours"], "/health", "application/json", 4 * WORKERS, ())
    for name, plan_sides in plan.items():            # warm caches once, then measure
        for side in sides:
            path, accept, *headers = plan_sides[side]
            quiesce(bases.values())
            # A side is slow when a warm-up window ends with no answer: for ours, windows of
            # 1, 5 and 10 s (a web worker that has not opened the release yet holds its first
            # requests for a second or two, and the connections of one window may all go to
            # it), for Oxigraph one of 1 s (a single process, which goes on with a query wrk
            # abandons).
            windows = (1, 5, 10) if side == "ours" else (1,)
            if all(wrk(bases[side], path, accept, window, 1, *headers)["requests"] == 0
                   for window in windows):
                slow.add((name, side))
    for _rep in range(reps):
        for name, plan_sides in plan.items():
            for side in sides:                       # interleaved
                path, accept, *headers = plan_sides[side]
                quiesce(bases.values())
                if (name, side) in slow:
                    result = one_round(bases[side], path, accept, 2, headers)
                else:
                    result = wrk(bases[side], path, accept, seconds, connections, *headers)
                results[name][side].append(result)
    return _worker_rss(bases["ours"])


def _server_roots(base: str) -> list[int]:
    """The processes started for the server at `base` (matched by port in their arguments)."""
    port = urllib.parse.urlparse(base).port
    out = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    pids = [int(ln.split()[0]) for ln in out.splitlines()
            if (f"--port {port}" in ln or f"127.0.0.1:{port}" in ln) and "wrk" not in ln]
    return [p for p in pids if _parent(p) not in pids]


def _cpu_ticks(roots: list[int]) -> int:
    total = 0
    for pid in _tree(roots):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total


def _tree(roots: list[int]) -> set[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            parents[int(entry.name)] = _parent(int(entry.name))
    tree, frontier = set(roots), list(roots)
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return tree


def quiesce(bases, limit: float = 900.0) -> None:
    """Wait until the servers are idle (under 5% of a core for a quarter second): a request wrk
    abandoned at the end of a window may still be running, and must not slow the next one."""
    roots = [pid for base in bases for pid in _server_roots(base)]
    deadline = time.monotonic() + limit
    hz = os.sysconf("SC_CLK_TCK")
    while time.monotonic() < deadline:
        before = _cpu_ticks(roots)
        time.sleep(0.25)
        if (_cpu_ticks(roots) - before) / hz <= 0.0125:
            return


def _tree_rss_mib_of_server(base: str) -> float | None:
    """Resident memory of a server's master and workers together (shared pages counted in
    each process, so an upper bound)."""
    roots = _server_roots(base)
    return round(sum(_tree_rss_kib(p) for p in roots) / 1024) if roots else None


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        return 0


def _busiest_entity(project: Path) -> str:
    """A victim with several claims (deterministic: the first person of the archive)."""
    line = (project / "data" / "entities" / "part-0000.jsonl").read_text().splitlines()[-1]
    ident = json.loads(line)["entities"][0]["id"]
    return f"https://w3id.org/memorial-graph/id/{ident}"


def _worker_rss(base: str) -> float | None:
    port = urllib.parse.urlparse(base).port
    try:
        out = subprocess.run(["ps", "-eo", "rss,args"], capture_output=True, text=True).stdout
    except OSError:
        return None
    sizes = [int(ln.split()[0]) for ln in out.splitlines()
             if f"--port {port}" in ln and "serve" in ln]
    return round(max(sizes) / 1024) if sizes else None


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        model = next(ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                     if ln.startswith("model name"))
        cpu = model
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores, {cpu}, Python {platform.python_version()}"


def _mark(side: dict) -> str:
    return " †" if side.get("one_round") else ""


def write_report(runs: list[dict], command: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    payload = {"when": stamp, "machine": machine(), "command": command, "runs": runs}
    out = RESULTS / f"{stamp}.json"
    out.write_text(json.dumps(payload, indent=2) + "\n")
    lines = [f"### {stamp}: `{command}`", "", f"Machine: {payload['machine']}.", ""]
    for run in runs:
        reused = " (measured when this archive was built, reused here)" if run.get("build_reused") \
            else ""
        lines += [f"**{run['claims']:,} claims** ({run['quads']:,} quads): build{reused} {run['build_s']} s, "
                  f"peak {run['build_peak_mib']} MiB in the largest process, "
                  f"{run['build_peak_all_processes_mib']} MiB in all its processes together "
                  f"(HermiT: {run['owl_check']}); our server's queries read the release "
                  f"{'in memory' if run['store'] == 'memory' else 'on disk'} by default: start "
                  f"{run['server_start_s']} s, worker RSS {run['worker_rss_mib']} MiB; "
                  f"{'--on-disk' if run['store'] == 'memory' else '--in-memory'}: start "
                  f"{run['other_store_server_start_s']} s, master + workers "
                  f"{run['other_store_server_rss_mib']} MiB (shared pages counted in each); wrk "
                  f"{run['connections']} connections, {run['seconds']} s x {run['repetitions']}, medians.",
                  "",
                  "| scenario | ours req/s | p50 / p95 ms | oxigraph req/s | p50 / p95 ms "
                  "| ours / oxigraph |",
                  "|---|---|---|---|---|---|"]
        for name, row in run["scenarios"].items():
            o, x = row["ours"], row["oxigraph"]
            lines.append(f"| {name} | {o['rps']:.2f}{_mark(o)} | {o['p50_ms']:.1f} / "
                         f"{o['p95_ms']:.1f} | {x['rps']:.2f}{_mark(x)} | {x['p50_ms']:.1f} / "
                         f"{x['p95_ms']:.1f} | {row['ratio']:.2f} |")
        if any(row[side].get("one_round") for row in run["scenarios"].values()
               for side in ("ours", "oxigraph")):
            lines += ["", "† slower than a second on its warm-up request: measured as one round "
                          "of 2 concurrent requests (one per core), timed to completion."]
        if "deref under load" in run["scenarios"]:
            lines += ["", "deref under load: `/doc` while 4 runaway queries run; its Oxigraph "
                          "columns hold our own idle deref, and the ratio is loaded / idle."]
        lines.append("")
    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text() if doc.exists() else ""
    marker = "<!-- results -->"
    if marker in text:
        head, _, tail = text.partition(marker)
        text = head + marker + "\n\n" + "\n".join(lines) + tail
        doc.write_text(text)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--quick", action="store_true", help="short runs (bench-quick)")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--reps", type=int, default=3, help="repetitions (medians over them)")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse an archive, release and Oxigraph store an earlier run built")
    parser.add_argument("--scenarios", default="", help="comma-separated subset to run")
    args = parser.parse_args()
    only = {name.strip() for name in args.scenarios.split(",") if name.strip()} or None
    reps, seconds = (args.reps, 2) if args.quick else (args.reps, 10)
    runs = []
    for size in (int(s) for s in args.sizes.split(",")):
        run = run_size(size, reps, seconds, args.connections, args.reuse, only)
        runs.append(run)
        print(json.dumps(run, indent=1), flush=True)
    command = "python -m bench.run " + " ".join(sys.argv[1:])
    out = write_report(runs, command)
    print(f"results: {out}")
    last = runs[-1]["scenarios"]
    names = {"deref": "deref", "lookup": "lookup", "lookup_nocache": "lookup (no-cache)",
             "ask": "ask", "deref_under_load": "deref under load",
             "ask_nocache": "ask (no-cache)"}
    ratio = {key: f"{last[name]['ratio']:.2f}" if name in last else "not run"
             for key, name in names.items()}
    print("ratios: " + " ".join(f"{key}={value}" for key, value in ratio.items()))


if __name__ == "__main__":
    free_port()  # fail early if loopback is unavailable
    main()
