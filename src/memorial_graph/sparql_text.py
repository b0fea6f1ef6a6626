"""What the text of a SPARQL query says before any engine parses it: whether the query names
its own dataset (`FROM` / `FROM NAMED`, SPARQL 1.1 section 13.2), and which graphs; where its
WHERE clause opens.

pyoxigraph does not tell whether a query has a dataset clause, and its union-default-graph
option replaces that clause. So the text is read the way the SPARQL grammar reads it, in one
pass: `\\u` escapes expanded first (section 19.2), then strings, IRIs, comments, variables
and language tags skipped as whole tokens, so a `FROM` inside any of them does not count. A
dataset clause can only stand at the top level of the query (outside every `{}` and `()`),
before the WHERE clause; that is where the keyword is looked for.
"""

from __future__ import annotations

import re

from .errors import MalformedQuery

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

# One alternative per token kind. Quantifiers are possessive, so no alternative backtracks:
# each character is read a bounded number of times and the scan is linear in the text.
_TOKEN = re.compile(r"""
    (?P<space>\s++)
  | (?P<comment>\#[^\r\n]*+)
  | (?P<long>\"\"\"(?:[^"\\]++|\\.|"(?!""))*+\"\"\"|'''(?:[^'\\]++|\\.|'(?!''))*+''')
  | (?P<short>"(?:[^"\\\r\n]++|\\.)*+"|'(?:[^'\\\r\n]++|\\.)*+')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*+>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f\u2040]++)
  | (?P<lang>@[A-Za-z]++(?:-[A-Za-z0-9]++)*+)
  | (?P<word>(?:[^\s{}()\[\]<>;,"'\#?$@^!=|&*+/\\]|\\.)++)
  | (?P<open>[{(])
  | (?P<close>[})])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)


def expand_escapes(text: str) -> str:
    """The query with its `\\uXXXX` / `\\UXXXXXXXX` escapes replaced by the characters."""
    if "\\u" not in text and "\\U" not in text:
        return text

    def char(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)

    return _ESCAPE.sub(char, text)


def names_dataset(query: str) -> bool:
    """Whether the query has a `FROM` or `FROM NAMED` clause of its own.

    A text that is not a well-formed query may give either answer; the engine refuses it
    anyway.
    """
    text = expand_escapes(query)
    if "from" not in text.lower():
        return False
    depth = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "word" and depth == 0 and m.group().lower() == "from":
            return True
        elif kind == "other" and m.group() in "\"'":
            return False    # an unterminated string: not a query
    return False


_FORMS = ("select", "construct", "describe", "ask")


def where_clause_starts(query: str) -> list[int]:
    """The positions just after each `{` that opens a WHERE clause: the query's and those of
    its subqueries, in order (none for a DESCRIBE without one, or for text that is not a
    query). Positions are those of the text with its `\\u` escapes expanded; a query
    without escapes is unchanged by that."""
    text = expand_escapes(query)
    depth = 0
    pending: list[list] = []    # [form, depth of its keyword, WHERE seen, groups opened]
    found: list[int] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "other" and m.group() in "\"'":
            return []
        if kind == "word":
            word = m.group().lower()
            if word in _FORMS:
                pending.append([word, depth, False, 0])
            elif word == "where" and pending and pending[-1][1] == depth:
                pending[-1][2] = True
        elif kind == "open":
            if m.group() == "{" and pending and pending[-1][1] == depth:
                form = pending[-1]
                form[3] += 1
                # CONSTRUCT { template } { pattern }: the second group, unless WHERE says so.
                if form[2] or form[0] != "construct" or form[3] == 2:
                    found.append(m.end())
                    pending.pop()
            depth += 1
        elif kind == "close":
            depth -= 1
    return found


def graph_iris(text: str) -> list[tuple[int, int, str]]:
    """Where the text names a graph by an IRI written in full: after `GRAPH`, `FROM` or `FROM
    NAMED` (start, end and the IRI, for the text as given: expand its escapes first). For
    the remote store, which stores graphs under the names of one load of a release."""
    found: list[tuple[int, int, str]] = []
    after = False            # the last significant token was GRAPH, FROM or NAMED
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("space", "comment"):
            continue
        if kind == "iri" and after:
            found.append((m.start(), m.end(), m.group()[1:-1]))
        after = kind == "word" and m.group().lower() in ("graph", "from", "named")
    return found


def dataset_clause(query: str, base_iri: str | None = None) -> tuple[list[str], list[str]]:
    """The graphs a query's `FROM` and `FROM NAMED` clauses name, as absolute IRIs (prefixes
    and relative IRIs resolved): (default graphs, named graphs).

    For stores that would let a union default graph override the clauses (Oxigraph's
    `--union-default-graph` does), so they can be sent as the protocol's dataset instead.
    rdflib's SPARQL parser reads them; only call this when `names_dataset` is true.
    """
    from rdflib.plugins.sparql import prepareQuery

    try:
        parsed = prepareQuery(query, base=base_iri)
    except Exception as exc:  # noqa: BLE001 - pyparsing and rdflib raise several kinds
        raise MalformedQuery(f"its FROM clauses could not be read: {exc}") from None
    default: list[str] = []
    named: list[str] = []
    for clause in parsed.algebra.get("datasetClause") or []:
        if "default" in clause:
            default.append(str(clause["default"]))
        if "named" in clause:
            named.append(str(clause["named"]))
    return default, named
