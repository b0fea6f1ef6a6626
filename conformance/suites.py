"""Running one test of each kind against the server (and, for a failure, in-process)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF

from . import client, querytext, results
from .dataset import EMPTY_GRAPH
from .engine import Engine, calls_out, query_form, serialize
from .manifest import HttpRequest, Test, path_of

PASS, FAIL, NA = "pass", "fail", "n/a"
ACCEPT = {"xml": "application/sparql-results+xml", "json": "application/sparql-results+json",
          "tsv": "text/tab-separated-values", "csv": "text/csv"}
GRAPH_ACCEPT = "application/n-triples"
RESULT_TYPES = {v: k for k, v in ACCEPT.items()}
GRAPH_TYPES = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE,
               "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/n-quads":
               ox.RdfFormat.N_QUADS, "application/trig": ox.RdfFormat.TRIG}


@dataclass
class Outcome:
    test: Test
    status: str                       # pass / fail / n/a
    detail: str = ""                  # why it failed, or why it does not apply
    answer: object = None             # what the server answered (a Result or an error text)
    engine: str | None = None         # in-process verdict for a failure: pass / fail
    engine_detail: str = ""
    same_as_engine: bool | None = None


# ---- a query test's request: the same for the server and the engine
@dataclass
class Plan:
    text: str                          # the query, with BASE <its file's IRI>
    default: list[str] | None          # None: the query's own FROM / FROM NAMED
    named: list[str] | None
    fmt: str                           # results format to ask for: xml, json, tsv, csv
    ordered: bool


def plan(test: Test) -> Plan:
    source = path_of(test.query).read_text(encoding="utf-8")
    text = f"BASE <{test.query}>\n{source}"
    if querytext.dataset_clauses(source):
        default = named = None
    elif test.kind == "eval":
        default, named = list(test.data), list(test.graph_data)
        if not default and not named:
            default = [EMPTY_GRAPH]
    else:                                     # syntax tests: an empty dataset
        default, named = [EMPTY_GRAPH], []
    suffix = (test.result or "").rsplit(".", 1)[-1]
    fmt = {"srx": "xml", "srj": "json", "tsv": "tsv", "csv": "csv"}.get(suffix, "json")
    return Plan(text, default, named, fmt, querytext.is_ordered(source))


def _http_query(port: int, p: Plan) -> client.Response:
    pairs = [("query", p.text)]
    pairs += [("default-graph-uri", g) for g in p.default or []]
    pairs += [("named-graph-uri", g) for g in p.named or []]
    headers = [("Content-Type", "application/x-www-form-urlencoded"),
               ("Accept", f"{ACCEPT[p.fmt]}, {GRAPH_ACCEPT};q=0.9")]
    return client.request(port, "POST", "/sparql", headers, client.form(pairs))


def read_response(r: client.Response):
    if r.content_type in RESULT_TYPES:
        return results.parse_results(r.body, RESULT_TYPES[r.content_type])
    if r.content_type in GRAPH_TYPES:
        return results.parse_graph(r.body, GRAPH_TYPES[r.content_type])
    raise results.ResultError(f"unexpected Content-Type {r.content_type or '(none)'}")


# ---- evaluation tests
def run_eval(test: Test, port: int, combined) -> Outcome:
    missing = [f for f in test.data + test.graph_data if f in combined.errors]
    if missing:
        return Outcome(test, FAIL, f"data file could not be loaded: {combined.errors[missing[0]]}")
    p = plan(test)
    try:
        expected = results.load_expected(test.result)
    except (results.ResultError, OSError) as exc:
        return Outcome(test, FAIL, f"expected result unreadable: {exc}")
    r = _http_query(port, p)
    if r.status != 200:
        answer = f"HTTP {r.status}: {r.text()}"
        return Outcome(test, FAIL, answer, answer=answer)
    try:
        actual = read_response(r)
        diff = results.compare(expected, actual, p.ordered)
        if diff is not None and results.compare(results.normalized(expected),
                                                results.normalized(actual), p.ordered) is None:
            diff = "only literal lexical forms differ (equal by value): " + diff
    except results.ResultError as exc:
        return Outcome(test, FAIL, str(exc), answer=str(exc))
    return Outcome(test, PASS if diff is None else FAIL, diff or "", answer=actual)


def engine_eval(test: Test, engine: Engine, outcome: Outcome) -> None:
    p = plan(test)
    if calls_out(p.text):
        outcome.engine_detail = "not run in-process: a SERVICE call would go over the network"
        return
    try:
        expected = results.load_expected(test.result)
        result = engine.query(p.text, p.default, p.named)
        data, fmt = serialize(result, p.fmt)
        actual = (results.parse_graph(data, ox.RdfFormat.N_TRIPLES) if fmt == "nt"
                  else results.parse_results(data, fmt))
        diff = results.compare(expected, actual, p.ordered)
    except (SyntaxError, OSError, ValueError, RuntimeError, TypeError,
            results.ResultError) as exc:
        actual, diff = f"{type(exc).__name__}: {exc}", f"{type(exc).__name__}: {exc}"
    outcome.engine = PASS if diff is None else FAIL
    outcome.engine_detail = diff or ""
    outcome.same_as_engine = results.same_answer(outcome.answer, actual)


# ---- syntax tests
def run_syntax(test: Test, port: int) -> Outcome:
    p = plan(test)
    r = _http_query(port, p)
    positive = test.kind == "positive-syntax"
    answer = f"HTTP {r.status}: {r.text(200)}"
    if positive:
        # Accepted = not refused as malformed (400). A valid query the server then declines
        # to run (403 for SERVICE off the allow-list, 5xx for an evaluation failure) was
        # still parsed; the detail says so.
        if r.status != 400:
            return Outcome(test, PASS, "" if 200 <= r.status < 300 else f"accepted, then {answer}",
                           answer=answer)
        return Outcome(test, FAIL, f"a valid query was refused as malformed: {answer}",
                       answer=answer)
    if r.status == 400:
        return Outcome(test, PASS, answer=answer)
    return Outcome(test, FAIL, f"an invalid query was not refused with 400: {answer}",
                   answer=answer)


def engine_syntax(test: Test, engine: Engine, outcome: Outcome) -> None:
    p = plan(test)
    positive = test.kind == "positive-syntax"
    if calls_out(p.text) and query_form(p.text) == "ASK":
        outcome.engine_detail = "not run in-process: an ASK with SERVICE would call out"
        return
    try:
        result = engine.query(p.text, p.default, p.named)
        if not calls_out(p.text) and not isinstance(result, ox.QueryBoolean):
            list(result)
        accepted, message = True, "parses it"
    except SyntaxError as exc:
        accepted, message = False, f"SyntaxError: {exc}"
    except (OSError, ValueError, RuntimeError) as exc:
        accepted, message = True, f"parses it; evaluating it then fails: {exc}"
    ok = accepted == positive
    outcome.engine = PASS if ok else FAIL
    outcome.engine_detail = message
    outcome.same_as_engine = not ok


# ---- protocol tests
def _path(path: str) -> str:
    """ht:absolutePath starts with /sparql/; our endpoint is /sparql."""
    return "/sparql" + path[len("/sparql/"):] if path.startswith("/sparql/") else path


def _status_ok(status: int, classes: list[str]) -> bool:
    return f"{status // 100}xx" in classes


def _check_format(r: client.Response, req: HttpRequest) -> str | None:
    fmt = req.result_format
    if fmt is None:
        return None
    if fmt in ("boolean", "tabular"):
        allowed = ("json", "xml") if fmt == "boolean" else ("json", "xml", "csv", "tsv")
        kind = RESULT_TYPES.get(r.content_type)
        if kind not in allowed:
            return f"expected {fmt} results, got Content-Type {r.content_type or '(none)'}"
        try:
            parsed = results.parse_results(r.body, kind)
        except results.ResultError as exc:
            return str(exc)
        if fmt == "boolean" and not isinstance(parsed, bool):
            return "expected a boolean result"
        if fmt == "tabular" and not isinstance(parsed, results.Solutions):
            return "expected solutions"
        if req.boolean is not None and parsed is not req.boolean:
            return f"expected {req.boolean}, got {parsed}"
        return None
    if fmt == "RDF":
        if r.content_type not in ("application/rdf+xml", "text/turtle", "application/n-triples"):
            return f"expected RDF/XML, Turtle or N-Triples, got {r.content_type or '(none)'}"
        try:
            results.parse_graph(r.body, GRAPH_TYPES[r.content_type])
        except results.ResultError as exc:
            return str(exc)
    return None


def is_update_test(test: Test) -> bool:
    """A protocol test that needs an update to succeed (update_*, expecting 2xx for it)."""
    first = test.requests[0] if test.requests else None
    if first is None:
        return False
    mt = dict((k.lower(), v) for k, v in first.headers).get("content-type", "")
    is_update = "sparql-update" in mt or (first.body or b"").startswith(b"update=") \
        or "update=" in first.path
    return is_update and _status_ok(200, first.statuses)


def run_protocol(test: Test, port: int) -> Outcome:
    if is_update_test(test):
        req = test.requests[0]
        r = client.request(port, req.method, _path(req.path), req.headers, req.body)
        if 400 <= r.status < 500:
            return Outcome(test, NA, f"update refused with {r.status}, as a read-only public "
                           f"endpoint must (the test needs a writable store)",
                           answer=f"HTTP {r.status}")
        return Outcome(test, FAIL, f"an update on the read-only endpoint answered {r.status} "
                       f"(expected a 4xx refusal): {r.text()}", answer=f"HTTP {r.status}")
    for i, req in enumerate(test.requests, 1):
        r = client.request(port, req.method, _path(req.path), req.headers, req.body)
        where = f"request {i}: " if len(test.requests) > 1 else ""
        if not _status_ok(r.status, req.statuses):
            return Outcome(test, FAIL, f"{where}expected {'/'.join(req.statuses)}, got "
                           f"{r.status}: {r.text(200)}", answer=f"HTTP {r.status}")
        problem = _check_format(r, req) if 200 <= r.status < 300 else None
        if problem:
            return Outcome(test, FAIL, where + problem, answer=problem)
    return Outcome(test, PASS)


def engine_protocol(test: Test, engine: Engine, outcome: Outcome, endpoint: str) -> None:
    """A protocol test's queries run in-process, with the dataset the request names and the
    endpoint as base IRI (a service may use its endpoint as base, says SPARQL Protocol 2.1.4;
    pyoxigraph takes it as Store.query(base_iri=...))."""
    ran = False
    for req in test.requests:
        if not _status_ok(200, req.statuses):
            continue
        url = urlsplit(req.path)
        params = parse_qsl(url.query)
        headers = {k.lower(): v for k, v in req.headers}
        media = headers.get("content-type", "").split(";")[0].strip()
        if media == "application/x-www-form-urlencoded":
            params += parse_qsl((req.body or b"").decode())
            text = dict(params).get("query")
        elif media == "application/sparql-query":
            text = (req.body or b"").decode()
        else:
            text = dict(params).get("query")
        if text is None:
            continue
        default = [v for k, v in params if k == "default-graph-uri"]
        named = [v for k, v in params if k == "named-graph-uri"]
        dataset = (default, named) if default or named else (None, None)
        ran = True
        try:
            result = engine.query(text, *dataset, base_iri=endpoint)
            got = bool(result) if isinstance(result, ox.QueryBoolean) else list(result)
        except (SyntaxError, OSError, ValueError) as exc:
            outcome.engine, outcome.engine_detail = FAIL, f"{type(exc).__name__}: {exc}"
            return
        if req.boolean is not None and got is not req.boolean:
            outcome.engine, outcome.engine_detail = FAIL, f"expected {req.boolean}, got {got}"
            return
    if ran:
        outcome.engine = PASS
        outcome.engine_detail = "answered in-process with the endpoint as base IRI"
    else:
        outcome.engine_detail = "an HTTP-level check: nothing to run in-process; the server's own behaviour"


# ---- service description
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
SD_TERMS = {
    # classes
    "Service", "Feature", "Language", "Function", "Aggregate", "EntailmentRegime",
    "EntailmentProfile", "GraphCollection", "Dataset", "Graph", "NamedGraph",
    # properties
    "endpoint", "feature", "defaultEntailmentRegime", "entailmentRegime",
    "defaultSupportedEntailmentProfile", "supportedEntailmentProfile", "extensionFunction",
    "extensionAggregate", "languageExtension", "supportedLanguage", "propertyFeature",
    "defaultDataset", "availableGraphs", "resultFormat", "inputFormat", "defaultGraph",
    "namedGraph", "name", "graph",
    # instances
    "SPARQL10Query", "SPARQL11Query", "SPARQL11Update", "DereferencesURIs",
    "UnionDefaultGraph", "RequiresDataset", "EmptyGraphs", "BasicFederatedQuery",
}
SD_IRI_VALUED = ("endpoint", "feature", "supportedLanguage", "resultFormat", "inputFormat",
                 "extensionFunction", "extensionAggregate", "languageExtension",
                 "propertyFeature", "defaultEntailmentRegime", "entailmentRegime", "name")
SD_RANGES = {"defaultDataset": "Dataset", "defaultGraph": "Graph", "namedGraph": "NamedGraph",
             "availableGraphs": "GraphCollection", "graph": "Graph"}
SD_LANGUAGES = {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}
SD_ACCEPTS = [None, "text/turtle", "application/rdf+xml", "application/n-triples"]


def _sd(port: int, accept: str | None):
    headers = [("Accept", accept)] if accept else []
    r = client.request(port, "GET", "/sparql", headers)
    if r.status != 200:
        raise results.ResultError(f"GET /sparql (Accept: {accept or 'none'}) answered "
                                  f"{r.status}")
    fmt = GRAPH_TYPES.get(r.content_type)
    if fmt is None:
        raise results.ResultError(f"GET /sparql (Accept: {accept or 'none'}) answered "
                                  f"Content-Type {r.content_type or '(none)'}, not RDF")
    return results.parse_graph(r.body, fmt).rdflib()


def run_service_description(test: Test, port: int) -> Outcome:
    endpoint = rdflib.URIRef(f"http://127.0.0.1:{port}/sparql")
    try:
        graphs = [_sd(port, a) for a in SD_ACCEPTS]
    except results.ResultError as exc:
        return Outcome(test, FAIL, str(exc))
    g = graphs[0]
    if test.name == "returns-rdf":
        empty = [a or "none" for a, x in zip(SD_ACCEPTS, graphs, strict=True) if len(x) == 0]
        return Outcome(test, FAIL if empty else PASS,
                       f"empty description for Accept {empty}" if empty else "")
    if test.name == "has-endpoint-triple":
        ok = (None, SD.endpoint, endpoint) in g and (None, RDF.type, SD.Service) in g
        return Outcome(test, PASS if ok else FAIL,
                       "" if ok else f"no sd:Service with sd:endpoint <{endpoint}>")
    if test.name == "conforms-to-schema":
        problems = _sd_problems(g)
        return Outcome(test, FAIL if problems else PASS, "; ".join(problems[:5]))
    return Outcome(test, FAIL, f"unknown service-description test {test.name}")


def _sd_problems(g: rdflib.Graph) -> list[str]:
    problems = []
    services = set(g.subjects(RDF.type, SD.Service))
    if not services:
        problems.append("no sd:Service")
    for s in services:
        if g.value(s, SD.endpoint) is None:
            problems.append(f"sd:Service {s.n3()} has no sd:endpoint")
    for _s, p, o in g:
        for t in (p, o if p == RDF.type else None):
            if isinstance(t, rdflib.URIRef) and t.startswith(str(SD)) \
                    and t[len(str(SD)):] not in SD_TERMS:
                problems.append(f"{t.n3()} is not in the service-description vocabulary")
        if not p.startswith(str(SD)):
            continue
        local = p[len(str(SD)):]
        if local in SD_IRI_VALUED and not isinstance(o, rdflib.URIRef):
            problems.append(f"sd:{local} must name an IRI, not {o.n3()}")
        if local == "supportedLanguage" and o not in SD_LANGUAGES:
            problems.append(f"sd:supportedLanguage {o.n3()} is not a SPARQL language")
        if local in SD_RANGES:
            if isinstance(o, rdflib.Literal):
                problems.append(f"sd:{local} must be a resource, not {o.n3()}")
            types = set(g.objects(o, RDF.type))
            if types and SD[SD_RANGES[local]] not in types:
                problems.append(f"sd:{local} object {o.n3()} is not an sd:{SD_RANGES[local]}")
    return problems
