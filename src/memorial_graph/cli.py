"""`memorial-graph`: a thin command line over the library. Only this module picks exit codes.

Exit codes: 0 success; 1 the data or query is invalid (validation errors, malformed SPARQL);
2 usage error; 3 nothing built yet.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from . import __version__, saved_queries
from .config import IN_MEMORY_UP_TO, Config, default_in_memory_up_to
from .errors import DataError, InconsistentOntology, MemorialGraphError, NotBuilt, NotFound
from .formats import DUMP_FORMATS, FORMATS, RESULT_FORMATS

ID_ALPHABET = "abcdefghjkmnpqrstvwxyz23456789"


def _progress(quiet: bool):
    start = time.monotonic()

    def report(message: str) -> None:
        if not quiet:
            print(f"[{time.monotonic() - start:6.1f}s] {message}", file=sys.stderr, flush=True)

    return report


def _config(args) -> Config:
    return Config.for_project(args.project, base_uri=getattr(args, "base_uri", None),
                              validator=getattr(args, "validator", None))


def cmd_build(args) -> int:
    from .build import build

    release = build(_config(args), _progress(args.quiet), if_changed=args.if_changed)
    print(release.path)
    return 0


def cmd_validate(args) -> int:
    from .build import check

    config = _config(args)
    checked = check(config, _progress(args.quiet))
    errors = [v for v in checked.violations if v.severity == "Violation"]
    for v in checked.violations:
        print(f"{v.severity}: {v.describe(checked.compiled.locations)}")
    if errors:
        print(f"{len(errors)} violation(s): the collection does not conform.", file=sys.stderr)
        return 1
    from .build import check_owl

    compiled = checked.compiled
    check_owl(checked)
    print(f"conforms: {compiled.claims} claims, {compiled.count} triples; "
          f"HermiT: consistent ({compiled.owl_scope})")
    return 0


def _open_store(config: Config):
    from .store import open_store

    return open_store(config)


def _query_text(args, config: Config) -> tuple[str, dict]:
    """The SPARQL to run and its bound values: a .rq file, a saved query's name, or the text."""
    from .uris import Uris

    text = args.query
    params = dict(p.split("=", 1) for p in args.param or [] if "=" in p)
    path = Path(text)
    if _names_a_file(text):
        saved = saved_queries.parse(path.stem, path.read_text(encoding="utf-8"))
    elif saved_queries.is_name(text.removesuffix(".rq")):
        # One plain word is never SPARQL: it names a saved query, or none, and says so.
        saved = saved_queries.get(saved_queries.load_all(config.queries_dir),
                                  text.removesuffix(".rq"))
    else:
        return text, {}
    return saved.text, saved.bind(params, Uris(config.base_uri))


def _names_a_file(text: str) -> bool:
    try:
        return "\n" not in text and Path(text).is_file()
    except OSError:   # a one-line query longer than a file name can be
        return False


def _table(result) -> str:
    names = [v.value for v in result.variables]
    rows = [[_cell(row[n]) for n in names] for row in result]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def _cell(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    return str(term.value) if hasattr(term, "value") else str(term)


def cmd_query(args) -> int:
    config = _config(args)
    text, bindings = _query_text(args, config)
    result = _open_store(config).query(text, bindings)
    out = sys.stdout.buffer
    if isinstance(result, ox.QuerySolutions):
        if args.format == "table":
            print(_table(result))
        else:
            out.write(result.serialize(format=FORMATS[args.format].results))
    elif isinstance(result, ox.QueryBoolean):
        if args.format == "table":
            print("true" if bool(result) else "false")
        else:
            out.write(result.serialize(format=FORMATS[args.format].results))
    else:
        out.write(ox.serialize(list(result), format=ox.RdfFormat.TURTLE))
    out.flush()
    return 0


def cmd_export(args) -> int:
    from .release import require_current

    release = require_current(_config(args).var_dir)
    name = FORMATS[args.format].dump
    if name not in release.manifest.get("dumps", []):
        raise NotFound(f"release {release.id} has no {args.format} dump (large releases ship "
                       f"N-Quads only); try --format nquads")
    with release.artifact(name).open("rb") as f:
        while chunk := f.read(1 << 20):
            sys.stdout.buffer.write(chunk)
    sys.stdout.buffer.flush()
    return 0


def cmd_stats(args) -> int:
    from . import stats

    config = _config(args)
    report = stats.collect(_open_store(config), saved_queries.load_all(config.queries_dir))
    print(stats.format_text(report))
    return 0


def cmd_new_id(args) -> int:
    for _ in range(args.count):
        print("".join(secrets.choice(ID_ALPHABET) for _ in range(7)))
    return 0


def serve_config(args) -> Config:
    return Config.for_project(
        args.project,
        base_uri=args.base_uri,
        host=args.host,
        port=args.port,
        workers=args.workers,
        query_timeout=args.timeout,
        store_url=args.store,
        data_file=Path(args.data).resolve() if args.data else None,
        in_memory=args.in_memory or None,
        in_memory_up_to=0 if args.on_disk else default_in_memory_up_to(),
        service_allowlist=tuple(args.allow_service),
        cache_seconds=args.cache_seconds,
        query_processes=args.query_processes,
        query_queue=args.query_queue,
        query_memory_bytes=int(args.query_memory * (1 << 30)) if args.query_memory else None,
        query_nice=args.query_nice,
        query_budget=args.query_budget,
        client_queries=args.client_queries,
        trusted_proxies=args.trusted_proxies,
        read_timeout=args.read_timeout,
        access_log=False if args.no_access_log else None,
        response_cache_bytes=(int(args.response_cache * (1 << 20))
                              if args.response_cache is not None else None),
        max_result_bytes=(int(args.max_result * (1 << 20))
                          if args.max_result is not None else None),
    )


def cmd_serve(args) -> int:
    from .web import serve

    config = serve_config(args)
    serve.check_servable(config)
    if args.get:
        response = serve.get(config, args.get, {"Accept": args.accept} if args.accept else None)
        if args.headers:
            print(f"HTTP/1.1 {response.status}")
            for key, value in response.headers.items():
                print(f"{key}: {value}")
            print()
        sys.stdout.buffer.write(response.get_data())
        sys.stdout.buffer.flush()
        return 0 if response.status_code < 400 else 1
    serve.serve(config, dev=args.dev)
    return 0


def cmd_releases(args) -> int:
    import json

    from .release import current, kept

    config = _config(args)
    releases = kept(config.var_dir)
    now = current(config.var_dir)
    if args.json:
        print(json.dumps([{"id": r.id, "created": r.manifest["created"],
                           "sequence": r.sequence, "predecessor": r.predecessor,
                           "content_sha256": r.manifest.get("content_sha256"),
                           "claims": r.manifest.get("claims"),
                           "changes": r.manifest.get("changes"),
                           "current": now is not None and r.id == now.id} for r in releases],
                         indent=2))
        return 0
    if not releases:
        print("no releases yet: run `memorial-graph build`", file=sys.stderr)
        return 3
    for r in releases:
        changes = r.manifest.get("changes") or {}
        summary = (f"claims +{changes.get('claims_added', 0)} ~{changes.get('claims_changed', 0)} "
                   f"-{changes.get('claims_withdrawn', 0)}") if changes else "no changelog"
        mark = "*" if now is not None and r.id == now.id else " "
        print(f"{mark} {r.sequence:>4}  {r.id}  {r.manifest.get('claims', '?'):>8} claims  {summary}")
    return 0


def cmd_prune(args) -> int:
    from .build.artifacts import prune

    removed = prune(_config(args).var_dir, args.keep)
    for rid in removed:
        print(f"removed {rid}")
    if not removed:
        print(f"nothing to remove: at most {args.keep} release(s) are kept", file=sys.stderr)
    return 0


def cmd_publish(args) -> int:
    from .build.publish import publish

    credentials = None
    if args.user:
        password = os.environ.get("MEMORIAL_GRAPH_STORE_PASSWORD")
        if password is None:
            print("set MEMORIAL_GRAPH_STORE_PASSWORD to the store user's password "
                  "(it is never read from the command line)", file=sys.stderr)
            return 2
        credentials = (args.user, password)
    publish(_config(args), args.to, args.update_url, credentials, args.auth, _progress(args.quiet))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="memorial-graph", description=__doc__.splitlines()[0])
    p.add_argument("--version", action="version", version=f"memorial-graph {__version__}")
    p.add_argument("--project", help="project directory holding data/, ontology/, queries/ "
                                     "(default: the current directory)")
    p.add_argument("--base-uri", help="canonical base of the identifiers")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="compile, validate and publish a new release")
    b.add_argument("--if-changed", action="store_true", help="do nothing if no input changed")
    b.add_argument("--validator", choices=["fast", "pyshacl"],
                   help="SHACL engine: fast (pyoxigraph, default) or pyshacl (the reference)")
    b.set_defaults(func=cmd_build)

    v = sub.add_parser("validate", help="check the collection (SHACL and HermiT) without building")
    v.add_argument("--validator", choices=["fast", "pyshacl"],
                   help="SHACL engine: fast (pyoxigraph, default) or pyshacl (the reference)")
    v.set_defaults(func=cmd_validate)

    q = sub.add_parser("query", help="run SPARQL (a string, a .rq file or a saved query's name)")
    q.add_argument("query")
    q.add_argument("--format", choices=["table", *RESULT_FORMATS], default="table")
    q.add_argument("--param", action="append", metavar="NAME=VALUE",
                   help="bind a saved query's parameter (repeatable)")
    q.set_defaults(func=cmd_query)

    e = sub.add_parser("export", help="write the whole dataset to stdout")
    e.add_argument("--format", choices=list(DUMP_FORMATS), default="nquads")
    e.set_defaults(func=cmd_export)

    s = sub.add_parser("stats", help="entities by type, claims, sources, disagreements")
    s.set_defaults(func=cmd_stats)

    n = sub.add_parser("new-id", help="print fresh opaque identifiers for new records")
    n.add_argument("-n", "--count", type=int, default=1)
    n.set_defaults(func=cmd_new_id)

    sv = sub.add_parser("serve", help="serve the collection over HTTP")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8080)
    sv.add_argument("--workers", type=int, default=2)
    sv.add_argument("--timeout", type=float, default=30.0, help="per-query timeout, seconds")
    sv.add_argument("--store", help="a remote SPARQL 1.1 query endpoint to serve from")
    sv.add_argument("--data", help="serve any RDF file as a plain SPARQL endpoint")
    memory = sv.add_mutually_exclusive_group()
    memory.add_argument("--in-memory", action="store_true",
                        help="load the release into memory for every use, however large (by "
                             f"default the query processes hold one of up to "
                             f"{IN_MEMORY_UP_TO:,} quads in memory)")
    memory.add_argument("--on-disk", action="store_true",
                        help="queries too read the release from its on-disk store")
    sv.add_argument("--cache-seconds", type=int, help="Cache-Control max-age of release-bound "
                                                      "documents (default 300)")
    sv.add_argument("--no-access-log", action="store_true",
                    help="log no line per request (a reverse proxy in front logs them); about "
                         "a third of the cost of a request answered from the shared cache")
    sv.add_argument("--response-cache", type=float, metavar="MIB",
                    help="MiB of shareable responses each web worker keeps and answers "
                         "without running the app again (default 32; 0: none)")
    sv.add_argument("--max-result", type=float, metavar="MIB",
                    help="the largest query answer sent, in MiB (default 256); a larger one "
                         "is refused (413)")
    sv.add_argument("--allow-service", action="append", default=[], metavar="IRI",
                    help="allow SERVICE calls to this endpoint (repeatable)")
    sv.add_argument("--query-processes", type=int, metavar="N",
                    help="query processes in the pool (default: one per core)")
    sv.add_argument("--query-queue", type=int, metavar="N",
                    help="queries that may wait for a process (default: twice the pool)")
    sv.add_argument("--query-memory", type=float, metavar="GIB",
                    help="memory one query may use, in GiB (default: 2)")
    sv.add_argument("--query-nice", type=int, choices=range(0, 20), metavar="0-19",
                    help="CPU priority of the query processes below the web workers' "
                         "(default: 10)")
    sv.add_argument("--query-budget", type=float, metavar="SECONDS",
                    help="query time per client per minute (default: 60)")
    sv.add_argument("--client-queries", type=int, metavar="N",
                    help="queries one client may have running or waiting (default: 4)")
    sv.add_argument("--trusted-proxies", type=int, metavar="N",
                    help="reverse proxies in front whose X-Forwarded-For is believed (default: 0)")
    sv.add_argument("--read-timeout", type=float, metavar="SECONDS",
                    help="time a client has to send request headers, and its body (default: 10)")
    sv.add_argument("--dev", action="store_true", help="Flask's development server, one process")
    sv.add_argument("--get", metavar="PATH", help="run one GET request in-process, print the "
                                                  "response body and exit (1 if it failed)")
    sv.add_argument("--accept", metavar="MEDIA_TYPE", help="with --get: the Accept header")
    sv.add_argument("--headers", action="store_true", help="with --get: print status and headers")
    sv.set_defaults(func=cmd_serve)

    r = sub.add_parser("releases", help="list the kept releases, oldest first (* = current)")
    r.add_argument("--json", action="store_true", help="as JSON")
    r.set_defaults(func=cmd_releases)

    pr = sub.add_parser("prune", help="remove old releases, keeping the newest N (and the "
                                      "current one); nothing is ever pruned otherwise")
    pr.add_argument("--keep", type=int, required=True, metavar="N")
    pr.set_defaults(func=cmd_prune)

    pb = sub.add_parser("publish", help="load the current release into a remote SPARQL store")
    pb.add_argument("--to", required=True, help="the store's SPARQL query endpoint")
    pb.add_argument("--update-url", help="its SPARQL update endpoint (default: derived; "
                                         "Virtuoso: .../sparql-auth)")
    pb.add_argument("--user", help="a store user allowed to update; the password is read from "
                                   "MEMORIAL_GRAPH_STORE_PASSWORD")
    pb.add_argument("--auth", choices=["basic", "digest"], default="basic",
                    help="HTTP authentication the store asks for (Virtuoso: digest)")
    pb.set_defaults(func=cmd_publish)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except DataError as exc:
        for line in exc.format_lines():
            print(line, file=sys.stderr)
        print(f"build refused: {len(exc.problems)} problem(s); nothing was changed.",
              file=sys.stderr)
        return 1
    except InconsistentOntology as exc:
        print(exc.message, file=sys.stderr)
        print("build refused; nothing was changed.", file=sys.stderr)
        return 1
    except NotBuilt as exc:
        print(exc.message, file=sys.stderr)
        return 3
    except MemorialGraphError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
