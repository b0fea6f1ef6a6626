"""Run the W3C SPARQL 1.1 test suites against our real HTTP endpoint.

    python -m conformance.run --w3c ../shared/w3c          # make conformance W3C=../shared/w3c

Loads every test's data into one N-Quads file (one named graph per data file), starts
`memorial-graph serve --data` on 127.0.0.1, runs each test through the SPARQL Protocol, runs
each failure again in-process on pyoxigraph to tell the engine's failures (known_failures.toml)
from ours, prints a table per suite and exits non-zero iff a failure is unexpected.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tomllib
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import dataset, querytext, server, suites
from .engine import Engine
from .manifest import Test, load_suite, path_of

HERE = Path(__file__).resolve().parent
KNOWN = HERE / "known_failures.toml"

QUERY_SUITES = ["aggregates", "bind", "bindings", "cast", "construct", "csv-tsv-res", "exists",
                "functions", "grouping", "json-res", "negation", "project-expression",
                "property-path", "subquery", "syntax-query", "syntax-fed"]
OTHER_SUITES = ["service-description", "protocol"]
UPDATE = ("SPARQL 1.1 Update evaluation: needs a writable store; the public endpoint is "
          "read-only and refuses every update with 403")
EXCLUDED = {
    **{s: UPDATE for s in ("add", "basic-update", "clear", "copy", "delete", "delete-data",
                           "delete-insert", "delete-where", "drop", "move", "update-silent")},
    "syntax-update-1": "SPARQL 1.1 Update syntax: updates are refused (403) before they are "
                       "parsed, so acceptance of update syntax cannot be observed",
    "syntax-update-2": "SPARQL 1.1 Update syntax: as syntax-update-1",
    "entailment": "SPARQL 1.1 Entailment Regimes (RDF/RDFS/D/OWL): the endpoint evaluates under "
                  "simple entailment only and its service description claims no "
                  "sd:entailmentRegime",
    "graph-store-protocol": "SPARQL 1.1 Graph Store HTTP Protocol (GET/PUT/POST/DELETE of "
                            "graphs): not offered; the endpoint is query-only",
    "http-rdf-update": "the deprecated predecessor of graph-store-protocol (every test is "
                       "dawgt:Deprecated): not offered",
    "service": "SPARQL 1.1 Federated Query evaluation: the tests call remote endpoints "
               "(qt:serviceData at example.org), which needs network; SERVICE is refused "
               "unless allow-listed",
}


def sparql11_dir(w3c: Path) -> Path:
    for candidate in (w3c / "sparql" / "sparql11", w3c / "sparql11", w3c):
        if (candidate / "manifest-sparql11-query.ttl").is_file():
            return candidate.resolve()
    raise SystemExit(f"conformance: no SPARQL 1.1 test suite under {w3c} "
                     f"(expected {w3c}/sparql/sparql11/manifest-sparql11-query.ttl)")


def load_known() -> dict[str, dict]:
    with open(KNOWN, "rb") as f:
        return tomllib.load(f)


def data_sources(tests: list[Test]) -> list[tuple[str, str]]:
    """(file IRI, graph name) for every file a test reads: qt:data, qt:graphData, the graphs a
    query's own FROM / FROM NAMED names (resolved against the query's IRI, where such a file
    exists), and the protocol suite's ut:graphData under their given names."""
    sources = []
    for t in tests:
        sources += [(f, f) for f in t.data + t.graph_data]
        sources += list(t.labelled_graphs)
        if t.query and t.kind == "eval":
            text = path_of(t.query).read_text(encoding="utf-8")
            sources += [(g, g) for g in querytext.resolved_dataset(text, t.query)
                        if g.startswith("file:") and path_of(g).is_file()]
    return sources


def run_one(test: Test, port: int, combined) -> suites.Outcome:
    if test.skip:
        return suites.Outcome(test, suites.NA, test.skip)
    try:
        if test.kind == "eval":
            return suites.run_eval(test, port, combined)
        if test.kind in ("positive-syntax", "negative-syntax"):
            return suites.run_syntax(test, port)
        if test.kind == "protocol":
            return suites.run_protocol(test, port)
        if test.kind == "service-description":
            return suites.run_service_description(test, port)
    except OSError as exc:
        return suites.Outcome(test, suites.FAIL, f"HTTP request failed: {exc}",
                              answer=f"{type(exc).__name__}: {exc}")
    return suites.Outcome(test, suites.FAIL, f"unknown test type for {test.iri}")


def classify(outcome: suites.Outcome, engine: Engine, endpoint: str) -> None:
    test = outcome.test
    if test.kind == "eval":
        suites.engine_eval(test, engine, outcome)
    elif test.kind in ("positive-syntax", "negative-syntax"):
        suites.engine_syntax(test, engine, outcome)
    elif test.kind == "protocol":
        suites.engine_protocol(test, engine, outcome, endpoint)
    else:
        outcome.engine_detail = "an HTTP-level check: nothing to run in-process"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m conformance.run", description=__doc__.split(
        "\n\n")[0])
    ap.add_argument("--w3c", required=True, type=Path,
                    help="the W3C tests (a directory holding sparql/sparql11/)")
    ap.add_argument("--suite", action="append", default=[],
                    help="run only this suite (repeatable)")
    ap.add_argument("--jobs", type=int, default=4, help="concurrent requests (default 4)")
    ap.add_argument("--workers", type=int, default=2, help="server workers (default 2)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every test's outcome")
    args = ap.parse_args(argv)
    started = time.monotonic()
    root = sparql11_dir(args.w3c)
    chosen = args.suite or QUERY_SUITES + OTHER_SUITES
    unknown = [s for s in chosen if s not in QUERY_SUITES + OTHER_SUITES]
    if unknown:
        ap.error(f"unknown suite(s) {', '.join(unknown)}; suites: "
                 f"{', '.join(QUERY_SUITES + OTHER_SUITES)}")
    tests = [t for s in chosen for t in load_suite(root / s)]
    known = load_known()

    with tempfile.TemporaryDirectory(prefix="conformance-") as work:
        work_dir = Path(work)
        combined = dataset.build(data_sources(tests), work_dir / "dataset.nq")
        print(f"W3C SPARQL 1.1 tests from {root}: {len(tests)} tests in {len(chosen)} suites; "
              f"{len(combined.graphs)} data files, {combined.quads} quads in one dataset",
              flush=True)
        for iri, error in combined.errors.items():
            print(f"  cannot load {iri}: {error}", file=sys.stderr)
        log = work_dir / "server.log"
        try:
            with server.running(combined.path, log, workers=args.workers) as (base, port):
                endpoint = f"{base}/sparql"
                print(f"server: {endpoint} (memorial-graph serve --data, {args.workers} workers)",
                      flush=True)
                with ThreadPoolExecutor(max_workers=args.jobs) as pool:
                    outcomes = list(pool.map(lambda t: run_one(t, port, combined), tests))
        except RuntimeError as exc:
            print(f"conformance: {exc}", file=sys.stderr)
            return 2
        failures = [o for o in outcomes if o.status == suites.FAIL]
        if failures:
            engine = Engine(combined.path)
            for o in failures:
                classify(o, engine, endpoint)
    return report(outcomes, known, chosen, args.verbose, time.monotonic() - started)


def verdict(o: suites.Outcome, known: dict) -> str:
    """passed / unexpected / known / n/a."""
    if o.status == suites.PASS:
        return "passed"
    if o.status == suites.NA:
        return "n/a"
    if o.test.id in known and o.engine == suites.FAIL:
        return "known"
    return "unexpected"


def report(outcomes, known, chosen, verbose, elapsed) -> int:
    by_suite = defaultdict(Counter)
    groups = defaultdict(list)
    for o in outcomes:
        v = verdict(o, known)
        by_suite[o.test.suite][v] += 1
        groups[v].append(o)
    print()
    header = f"{'suite':<22}{'tests':>7}{'passed':>8}{'failed':>8}{'known':>7}{'n/a':>6}"
    sections = [("Query evaluation and syntax", [s for s in QUERY_SUITES if s in chosen]),
                ("Protocol and service description", [s for s in OTHER_SUITES if s in chosen])]
    total = Counter()
    for title, names in sections:
        if not names:
            continue
        print(title)
        print(header)
        print("-" * len(header))
        sub = Counter()
        for s in names:
            c = by_suite[s]
            n = sum(c.values())
            print(f"{s:<22}{n:>7}{c['passed']:>8}{c['unexpected']:>8}{c['known']:>7}"
                  f"{c['n/a']:>6}")
            sub.update(c)
        n = sum(sub.values())
        print(f"{'total':<22}{n:>7}{sub['passed']:>8}{sub['unexpected']:>8}{sub['known']:>7}"
              f"{sub['n/a']:>6}")
        print()
        total.update(sub)
    print("failed = unexpected failures; known = the engine's own failures "
          "(conformance/known_failures.toml, confirmed in-process on pyoxigraph)")
    print()
    print("Suites not run:")
    for suite, reason in EXCLUDED.items():
        print(f"  {suite:<21} {reason}")
    if groups["n/a"]:
        print()
        print("Not applicable:")
        for o in groups["n/a"]:
            print(f"  {o.test.id:<45} {o.detail}")
    if groups["known"]:
        print()
        print("Known engine failures (pyoxigraph fails them in-process too):")
        for o in groups["known"]:
            entry = known[o.test.id]
            link = f" {entry['upstream']}" if entry.get("upstream") else ""
            print(f"  {o.test.id:<45} {entry.get('reason', '')}{link}")
    stale = [o for o in outcomes if o.test.id in known and o.status == suites.PASS]
    unused = sorted(set(known) - {o.test.id for o in outcomes}
                    - {k for k in known if k.split("/")[0] not in chosen})
    if stale or unused:
        print()
        print("Known failures that no longer fail (remove them from known_failures.toml):")
        for o in stale:
            print(f"  {o.test.id}")
        for k in unused:
            print(f"  {k} (no such test)")
    if verbose:
        print()
        print("Every outcome:")
        for o in outcomes:
            print(f"  {verdict(o, known):<10} {o.test.id:<45} {o.detail}")
    print()
    unexpected = groups["unexpected"]
    if unexpected:
        print(f"Unexpected failures ({len(unexpected)}):")
        for o in unexpected:
            print(f"  {o.test.id}  [{o.test.title}]")
            print(f"      server: {o.detail}")
            if o.engine == suites.PASS:
                detail = f" ({o.engine_detail})" if o.engine_detail else ""
                print(f"      in-process pyoxigraph: passes{detail} -> our defect")
            elif o.engine == suites.FAIL:
                same = "the same answer" if o.same_as_engine else "a different answer"
                listed = ("listed in known_failures.toml" if o.test.id in known
                          else "not in known_failures.toml")
                print(f"      in-process pyoxigraph: fails too ({same}; {listed}): "
                      f"{o.engine_detail}")
            else:
                print(f"      in-process pyoxigraph: {o.engine_detail or 'not checked'}")
    else:
        print("No unexpected failures.")
    print(f"\n{len(outcomes)} tests in {elapsed:.1f} s: {total['passed']} passed, "
          f"{total['unexpected']} failed, {total['known']} known engine failures, "
          f"{total['n/a']} not applicable")
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
