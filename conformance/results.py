"""Expected and actual results in one form, and their comparison.

Solutions are compared as multisets of rows (as sequences when the query orders them at top
level), up to a renaming of blank nodes that is one bijection for the whole result; terms are
compared exactly (lexical form, datatype, language). Graphs are compared with
rdflib.compare.isomorphic. Everything is parsed with pyoxigraph's parsers, so a term reads the
same whether it came from a file, the server or the in-process engine.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass

import pyoxigraph as ox
import rdflib
from rdflib.compare import isomorphic

from .manifest import path_of

RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RESULT_FORMATS = {"xml": ox.QueryResultsFormat.XML, "json": ox.QueryResultsFormat.JSON,
                  "tsv": ox.QueryResultsFormat.TSV}


@dataclass
class Solutions:
    variables: tuple[str, ...]
    rows: list[dict[str, tuple]]


@dataclass
class Graph:
    triples: list[tuple]

    def rdflib(self) -> rdflib.Graph:
        g = rdflib.Graph()
        for s, p, o in self.triples:
            g.add((_to_rdflib(s), _to_rdflib(p), _to_rdflib(o)))
        return g


Result = Solutions | Graph | bool


class ResultError(Exception):
    """A result that cannot be read (malformed document, unknown format)."""


# ---- terms
def term(t) -> tuple | None:
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return ("iri", t.value)
    if isinstance(t, ox.BlankNode):
        return ("bnode", t.value)
    if isinstance(t, ox.Literal):
        return ("literal", t.value, t.datatype.value, t.language or "")
    if isinstance(t, ox.Triple):
        return ("triple", term(t.subject), term(t.predicate), term(t.object))
    raise ResultError(f"unexpected term {t!r}")


def show(t: tuple | None) -> str:
    if t is None:
        return "UNDEF"
    kind = t[0]
    if kind == "iri":
        return f"<{t[1]}>"
    if kind == "bnode":
        return f"_:{t[1]}" if len(t) > 1 else "[]"
    if kind == "csv":
        return repr(t[1])
    if kind == "triple":
        return "<< " + " ".join(show(x) for x in t[1:]) + " >>"
    value = t[1].replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if t[3]:
        return f'"{value}"@{t[3]}'
    if t[2] == "http://www.w3.org/2001/XMLSchema#string":
        return f'"{value}"'
    return f'"{value}"^^<{t[2]}>'


def _to_rdflib(t: tuple):
    kind = t[0]
    if kind == "iri":
        return rdflib.URIRef(t[1])
    if kind == "bnode":
        return rdflib.BNode(t[1])
    if kind == "literal":
        if t[3]:
            return rdflib.Literal(t[1], lang=t[3], normalize=False)
        return rdflib.Literal(t[1], datatype=rdflib.URIRef(t[2]), normalize=False)
    raise ResultError(f"a graph cannot hold {show(t)}")


# ---- parsing
def parse_results(data: bytes, fmt: str) -> Solutions | bool:
    """SPARQL results in XML, JSON or TSV (lossless), or CSV (compared as text)."""
    if fmt == "csv":
        return parse_csv(data)
    try:
        parsed = ox.parse_query_results(data, format=RESULT_FORMATS[fmt])
    except (SyntaxError, ValueError) as exc:
        raise ResultError(f"unreadable {fmt} results: {exc}") from exc
    if isinstance(parsed, ox.QueryBoolean):
        return bool(parsed)
    variables = tuple(v.value for v in parsed.variables)
    rows = []
    for solution in parsed:
        rows.append({v: term(solution[v]) for v in variables if solution[v] is not None})
    return Solutions(variables, rows)


def parse_csv(data: bytes) -> Solutions:
    """CSV results (SPARQL 1.1 CSV): a header of names, then one line per solution. Values are
    kept as text (CSV loses term types); `_:x` is a blank node, an empty field is unbound."""
    text = data.decode("utf-8")
    table = list(csv.reader(io.StringIO(text, newline="")))
    if not table:
        raise ResultError("empty CSV document")
    variables = tuple(table[0])
    rows = []
    for line in table[1:]:
        if line == [] or line == [""] and len(variables) != 1:
            continue
        row = {}
        for name, value in zip(variables, line, strict=False):
            if value == "":
                continue
            row[name] = ("bnode", value[2:]) if value.startswith("_:") else ("csv", value)
        rows.append(row)
    return Solutions(variables, rows)


def parse_graph(data: bytes, fmt: ox.RdfFormat, base: str | None = None) -> Graph:
    try:
        quads = ox.parse(data, format=fmt, base_iri=base)
        return Graph([(term(q.subject), term(q.predicate), term(q.object)) for q in quads])
    except (SyntaxError, ValueError) as exc:
        raise ResultError(f"unreadable {fmt.name} graph: {exc}") from exc


def load_expected(iri: str) -> Result:
    """The expected result of a test: .srx, .srj, .tsv, .csv, or an RDF file holding either a
    graph (CONSTRUCT/DESCRIBE) or an rs:ResultSet."""
    path = path_of(iri)
    suffix = path.suffix.lstrip(".")
    data = path.read_bytes()
    if suffix in ("srx", "srj", "tsv", "csv"):
        return parse_results(data, {"srx": "xml", "srj": "json"}.get(suffix, suffix))
    fmt = ox.RdfFormat.from_extension(suffix)
    if fmt is None:
        raise ResultError(f"unknown result format: {path.name}")
    graph = parse_graph(data, fmt, base=iri)
    if ("iri", RS + "ResultSet") in {o for _s, p, o in graph.triples if p == ("iri", RDF_TYPE)}:
        return _result_set(graph)
    return graph


def _result_set(graph: Graph) -> Solutions | bool:
    by_subject = defaultdict(lambda: defaultdict(list))
    for s, p, o in graph.triples:
        by_subject[s][p[1]].append(o)
    root = next(s for s, props in by_subject.items()
                if ("iri", RS + "ResultSet") in props.get(RDF_TYPE, []))
    props = by_subject[root]
    if RS + "boolean" in props:
        return props[RS + "boolean"][0][1] == "true"
    variables = tuple(sorted(v[1] for v in props.get(RS + "resultVariable", [])))
    solutions = []
    for node in props.get(RS + "solution", []):
        row = {}
        for binding in by_subject[node].get(RS + "binding", []):
            b = by_subject[binding]
            row[b[RS + "variable"][0][1]] = b[RS + "value"][0]
        index = by_subject[node].get(RS + "index")
        solutions.append((int(index[0][1]) if index else 0, row))
    solutions.sort(key=lambda item: item[0])
    return Solutions(variables, [row for _i, row in solutions])


# ---- comparison
def _bnodes(row: tuple) -> bool:
    return any(t is not None and t[0] == "bnode" for t in row)


def _shape(row: tuple) -> tuple:
    return tuple(("bnode",) if t is not None and t[0] == "bnode" else t for t in row)


def _extend(mapping: dict, inverse: dict, exp: tuple, act: tuple) -> list | None:
    """Pairs to add to the bnode bijection so that `exp` maps to `act`, or None."""
    added = []
    for e, a in zip(exp, act, strict=True):
        if e is None or e[0] != "bnode":
            if e != a:
                return None
            continue
        if a is None or a[0] != "bnode":
            return None
        if e in mapping or a in inverse:
            if mapping.get(e) != a or inverse.get(a) != e:
                return None
            continue
        if any(x == e for x, _ in added) or any(y == a for _, y in added):
            if (e, a) not in added:
                return None
            continue
        added.append((e, a))
    return added


def rows_match(expected: list[tuple], actual: list[tuple], ordered: bool,
               budget: int = 200_000) -> bool:
    if len(expected) != len(actual):
        return False
    if not any(_bnodes(r) for r in expected) and not any(_bnodes(r) for r in actual):
        return expected == actual if ordered else Counter(expected) == Counter(actual)
    if Counter(map(_shape, expected)) != Counter(map(_shape, actual)):
        return False
    mapping: dict = {}
    inverse: dict = {}
    steps = [0]
    if ordered:
        for e, a in zip(expected, actual, strict=True):
            added = _extend(mapping, inverse, e, a)
            if added is None:
                return False
            for x, y in added:
                mapping[x], inverse[y] = y, x
        return True
    candidates = defaultdict(list)
    for i, a in enumerate(actual):
        candidates[_shape(a)].append(i)
    todo = sorted(expected, key=lambda r: sum(1 for t in r if t and t[0] == "bnode"))
    used = [False] * len(actual)

    def search(k: int) -> bool:
        if k == len(todo):
            return True
        steps[0] += 1
        if steps[0] > budget:
            raise ResultError("blank-node matching gave up (too many candidates)")
        e = todo[k]
        for i in candidates[_shape(e)]:
            if used[i]:
                continue
            added = _extend(mapping, inverse, e, actual[i])
            if added is None:
                continue
            used[i] = True
            for x, y in added:
                mapping[x], inverse[y] = y, x
            if search(k + 1):
                return True
            for x, y in added:
                del mapping[x], inverse[y]
            used[i] = False
        return False

    return search(0)


def _rows(s: Solutions, variables: tuple[str, ...]) -> list[tuple]:
    return [tuple(r.get(v) for v in variables) for r in s.rows]


def compare(expected: Result, actual: Result, ordered: bool = False) -> str | None:
    """None if `actual` matches `expected`, else what differs (one line)."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        if isinstance(expected, bool) and isinstance(actual, bool):
            return None if expected == actual else f"expected {expected}, got {actual}"
        return f"expected {describe(expected)}, got {describe(actual)}"
    if isinstance(expected, Graph) or isinstance(actual, Graph):
        if not (isinstance(expected, Graph) and isinstance(actual, Graph)):
            return f"expected {describe(expected)}, got {describe(actual)}"
        if isomorphic(expected.rdflib(), actual.rdflib()):
            return None
        e, a = set(expected.triples), set(actual.triples)
        return (f"graphs not isomorphic: expected {len(expected.triples)} triples, got "
                f"{len(actual.triples)}; e.g. missing "
                + ("; ".join(" ".join(show(t) for t in x) for x in sorted(e - a)[:2]) or "-")
                + " / extra "
                + ("; ".join(" ".join(show(t) for t in x) for x in sorted(a - e)[:2]) or "-"))
    variables = tuple(sorted(set(expected.variables) | set(actual.variables)))
    if set(expected.variables) != set(actual.variables) and expected.variables:
        return (f"variables differ: expected {sorted(expected.variables)}, "
                f"got {sorted(actual.variables)}")
    exp, act = _rows(expected, variables), _rows(actual, variables)
    if rows_match(exp, act, ordered):
        return None
    if ordered and rows_match(exp, act, False):
        return "same solutions in a different order (the query has ORDER BY)"
    missing = Counter(map(_shape, exp)) - Counter(map(_shape, act))
    extra = Counter(map(_shape, act)) - Counter(map(_shape, exp))
    if not missing and not extra:
        return (f"the same {len(exp)} solutions up to blank nodes, but no one-to-one renaming of "
                f"blank nodes maps one onto the other (blank nodes shared differently across "
                f"solutions)")

    def rows_text(c: Counter) -> str:
        return "; ".join("(" + ", ".join(f"?{v}={show(t)}" for v, t in zip(variables, r,
                                                                           strict=True)
                                          if t is not None) + ")"
                         for r in list(c)[:3]) or "-"

    return (f"expected {len(exp)} solutions, got {len(act)}; missing {rows_text(missing)}; "
            f"unexpected {rows_text(extra)}")


def describe(result: Result) -> str:
    if isinstance(result, bool):
        return f"boolean {result}"
    if isinstance(result, Graph):
        return f"a graph of {len(result.triples)} triples"
    return f"{len(result.rows)} solutions"


def same_answer(a: Result | str, b: Result | str) -> bool:
    """Whether two answers (results or error texts) are the same."""
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str)
    try:
        return compare(a, b) is None
    except ResultError:
        return False


def normalized(result: Result) -> Result:
    """The result with every literal as pyoxigraph's store keeps it (numbers, booleans and
    dates by value, e.g. "1.0"^^xsd:decimal -> "1"^^xsd:decimal): to tell a failure that is
    only about lexical forms from one about values."""
    if isinstance(result, bool):
        return result
    store = ox.Store()
    cache: dict[tuple, tuple] = {}
    s, p = ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p")

    def norm(t):
        if t is None or t[0] != "literal":
            return t
        if t not in cache:
            lit = (ox.Literal(t[1], language=t[3]) if t[3]
                   else ox.Literal(t[1], datatype=ox.NamedNode(t[2])))
            store.clear()
            store.add(ox.Quad(s, p, lit))
            cache[t] = term(next(iter(store)).object)
        return cache[t]

    if isinstance(result, Graph):
        return Graph([(norm(a), norm(b), norm(c)) for a, b, c in result.triples])
    return Solutions(result.variables,
                     [{k: norm(v) for k, v in row.items()} for row in result.rows])
