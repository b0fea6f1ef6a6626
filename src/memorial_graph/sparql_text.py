"""What the text of a SPARQL query says before any engine parses it: whether the query names
its own dataset (`FROM` / `FROM NAMED`, SPARQL 1.1 section 13.2), and which graphs; where its
WHERE clauses open; which graphs it names (`graph_iris`); and, for `web/query_policy.py`, its
SERVICE targets and how deep it nests.

**The one lexer of SPARQL text** (`tokens`): one pass, linear in the text, that knows comments,
strings (short and long, with escapes), IRIs (with `\\u` escapes), variables, language tags,
prefixed names (with escapes in the local part), numbers and brackets, so a `FROM` or a
`SERVICE` inside any of them is not mistaken for the keyword. `Prologue` follows the query's
PREFIX and BASE declarations to resolve IRIs and prefixed names in full.

pyoxigraph does not tell whether a query has a dataset clause, and its union-default-graph
option replaces that clause. A dataset clause can only stand at the top level of the query
(outside every `{}` and `()`), before the WHERE clause; that is where the keyword is looked
for, in the text with its `\\u` escapes expanded first (section 19.2).

What the text says depends on the text alone, so the answers for a query asked again (a
saved query, a client's repeated query) are remembered (`remembered`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import TypeVar
from urllib.parse import urljoin

T = TypeVar("T")
MEMO_CHARS = 16 << 10     # texts up to this long are remembered, the most recent 256 of them


def remembered(function: Callable[[str], T]) -> Callable[[str], T]:
    """`function(text)`, a pure function of the text, remembered for recent texts of up to
    MEMO_CHARS characters (bounded: at most 256 of them, so a few MiB). An exception is not
    remembered: the text is read again, and fails again, the next time."""
    kept = functools.lru_cache(maxsize=256)(function)

    @functools.wraps(function)
    def answer(text: str) -> T:
        return kept(text) if len(text) <= MEMO_CHARS else function(text)

    return answer

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

# One alternative per token kind. Quantifiers are possessive and the alternatives inside a
# kind are disjoint, so nothing backtracks: each character is read a bounded number of times
# and the scan is linear in the text.
_LOCAL = r"(?:[\w:%\-.\u00B7]|\\[_~.\-!$&'()*+,;=/?\#@%])*+"
_TOKEN = re.compile(r"""
    (?P<space>\s++)
  | (?P<comment>\#[^\r\n]*+)
  | (?P<string>\"\"\"(?:[^"\\]++|\\.|"(?!""))*+\"\"\"
              | '''(?:[^'\\]++|\\.|'(?!''))*+'''
              | "(?:[^"\\\r\n]++|\\.)*+"
              | '(?:[^'\\\r\n]++|\\.)*+')
  | (?P<unterminated>["'])
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]++|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*+>)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]++)
  | (?P<lang>@[A-Za-z]++(?:-[A-Za-z0-9]++)*+)
  | (?P<word>[^\W\d_][\w.\-\u00B7]*+)(?P<pname>:""" + _LOCAL + r""")?
  | (?P<emptyprefix>:""" + _LOCAL + r""")
  | (?P<number>[0-9]++)
  | (?P<open>[(\[{])
  | (?P<close>[)\]}])
  | (?P<escape>\\[uU])
  | (?P<other>[^\s\#"'<?$@\w:(\[{)\]}\\]++|.)
""", re.VERBOSE | re.DOTALL)

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
SKIPPED = frozenset(("space", "comment"))


def tokens(text: str) -> Iterator[tuple[str, re.Match]]:
    """(kind, match) for each token of the text: space, comment, string, unterminated (a quote
    that opens no string), iri, var, lang, word (a keyword or a bare name), pname (a prefixed
    name; `p:` and `:` alone too), number, open / close (any bracket), escape (a `\\u` outside
    strings and IRIs) or other (operators, punctuation)."""
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        yield ("pname" if kind == "emptyprefix" else kind), m


def expand_escapes(text: str) -> str:
    """The query with its `\\uXXXX` / `\\UXXXXXXXX` escapes replaced by the characters (an
    escape that names no character is left as it is)."""
    if "\\u" not in text and "\\U" not in text:
        return text

    def char(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group(0)

    return _ESCAPE.sub(char, text)


class Prologue:
    """The PREFIX and BASE declarations seen so far, to resolve IRIs and prefixed names in
    full. Give it every significant token (`see`), after resolving that token."""

    def __init__(self, base: str | None = None):
        self.base = base
        self.prefixes: dict[str, str] = {}
        self._state: str | None = None      # "prefix", "prefix-iri" or "base": what comes next
        self._pending = ""

    def see(self, kind: str, text: str) -> None:
        state, self._state = self._state, None
        if state == "prefix" and kind == "pname" and text.find(":") == len(text) - 1:
            self._pending, self._state = text[:-1], "prefix-iri"
        elif state == "prefix-iri" and kind == "iri":
            self.prefixes[self._pending] = self.iri(text)
        elif state == "base" and kind == "iri":
            self.base = self.iri(text)
        elif kind == "word" and text.upper() in ("PREFIX", "BASE"):
            self._state = text.lower()

    def iri(self, token: str) -> str:
        """An IRI token in full: escapes expanded, resolved against BASE."""
        iri = expand_escapes(token[1:-1])
        return iri if _SCHEME.match(iri) or not self.base else urljoin(self.base, iri)

    def pname(self, token: str) -> str | None:
        """A prefixed name in full (None: its prefix is not declared)."""
        name, _, local = re.sub(r"(?<!\\)\.+$", "", token).partition(":")
        if name not in self.prefixes:
            return None
        return self.prefixes[name] + re.sub(r"\\(.)", r"\1", local)

    def resolve(self, kind: str, token: str) -> str | None:
        return self.iri(token) if kind == "iri" else self.pname(token)


@remembered
def names_dataset(query: str) -> bool:
    """Whether the query has a `FROM` or `FROM NAMED` clause of its own.

    A text that is not a well-formed query may give either answer; the engine refuses it
    anyway.
    """
    text = expand_escapes(query)
    if "from" not in text.lower():
        return False
    depth = 0
    for kind, m in tokens(text):
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth -= 1
        elif kind == "word" and depth == 0 and m.group().lower() == "from":
            return True
        elif kind == "unterminated":
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
    for kind, m in tokens(text):
        if kind == "unterminated":
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
    """Where the text names a graph: the IRI or prefixed name after `GRAPH`, `FROM` or `FROM
    NAMED` (start, end and the IRI in full, positions in the text as given: expand its escapes
    first). For the remote store, which stores graphs under the names of one load."""
    found: list[tuple[int, int, str]] = []
    prologue = Prologue()
    after = False            # the last significant token was GRAPH, FROM or NAMED
    for kind, m in tokens(text):
        if kind in SKIPPED:
            continue
        token = m.group()
        if after and kind in ("iri", "pname"):
            iri = prologue.resolve(kind, token)
            if iri is not None:
                found.append((m.start(), m.end(), iri))
        prologue.see(kind, token)
        after = kind == "word" and token.lower() in ("graph", "from", "named")
    return found


def dataset_clause(query: str, base_iri: str | None = None) -> tuple[list[str], list[str]]:
    """The graphs a query's `FROM` and `FROM NAMED` clauses name, as absolute IRIs (prefixes
    and relative IRIs resolved): (default graphs, named graphs).

    For stores that would let a union default graph override the clauses (Oxigraph's
    `--union-default-graph` does), so they can be sent as the protocol's dataset instead.
    Read with the lexer at the top level of the query (outside brackets), before its WHERE
    clause."""
    default: list[str] = []
    named: list[str] = []
    for state, iri, _start, _end in _dataset_clauses(expand_escapes(query), base_iri):
        (named if state == "named" else default).append(iri)
    return default, named


def without_dataset_clause(query: str) -> str:
    """The query (its escapes expanded) without its `FROM` and `FROM NAMED` clauses: for a
    store that lets them win over the request's dataset, which the Protocol says wins."""
    text = expand_escapes(query)
    for _state, _iri, start, end in reversed(list(_dataset_clauses(text))):
        text = f"{text[:start]} {text[end:]}"
    return text


def _dataset_clauses(text: str, base_iri: str | None = None):
    """("from" or "named", the IRI in full, where the clause starts, where it ends) for each
    dataset clause of the (expanded) text."""
    prologue = Prologue(base_iri)
    state = None             # "from" or "named": what the next IRI is
    start = 0                # where the clause's FROM is
    depth = 0
    template = False         # a CONSTRUCT's template is still to come (before its FROM)
    for kind, m in tokens(text):
        if kind in SKIPPED:
            continue
        token = m.group()
        if kind == "open" and token == "{" and depth == 0 and template:
            template = False     # CONSTRUCT { template } FROM …: skipped like any group
        elif kind == "unterminated" or (kind == "open" and token == "{" and depth == 0):
            break            # the WHERE clause: no dataset clause past it
        if kind == "word" and depth == 0 and token.lower() in ("construct", "where"):
            template = token.lower() == "construct"     # CONSTRUCT WHERE { … } has none
        if kind in ("open", "close"):
            depth += 1 if kind == "open" else -1
            state = None
            continue
        if depth:
            continue
        if state and kind in ("iri", "pname"):
            iri = prologue.resolve(kind, token)
            if iri is not None:
                yield state, iri, start, m.end()
            state = None
            continue
        prologue.see(kind, token)
        if kind == "word" and token.lower() == "from":
            state, start = "from", m.start()
        elif kind == "word" and token.lower() == "named" and state == "from":
            state = "named"
        else:
            state = None


# Functions whose value differs from one evaluation to the next (SPARQL 1.1 section 17.4),
# and SERVICE, whose answer comes from elsewhere.
_UNREPEATABLE = frozenset({"rand", "now", "uuid", "struuid", "bnode", "service"})


@remembered
def repeatable(query: str) -> bool:
    """Whether the same query over the same release always has the same answer (so that the
    answer may be kept and shared): no RAND, NOW, UUID, STRUUID, BNODE and no SERVICE as a
    keyword (in a string, IRI, comment or prefixed name they do not count)."""
    text = expand_escapes(query)
    low = text.lower()
    if not any(word in low for word in _UNREPEATABLE):
        return True
    return not any(kind == "word" and m.group().lower() in _UNREPEATABLE
                   for kind, m in tokens(text))
