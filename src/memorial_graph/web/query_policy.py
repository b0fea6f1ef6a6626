"""Checks a query must pass before it runs on the public endpoint: no SERVICE call to an
endpoint that is not allow-listed (so no outbound connection is ever attempted for it), and no
nesting deeper than the engine can take.

One pass of a tokenizer over the text, linear in its length: it knows comments, strings (short
and long, with escapes), IRIs (with \\u escapes, resolved against BASE), prefixed names
(expanded with the query's PREFIX declarations) and variables, so "service" in a comment, a
string or an IRI is not mistaken for the keyword, and a SERVICE IRI written as a prefixed name
is compared in full. The engine (pyoxigraph 0.5.13) reads \\u escapes only inside strings and
IRIs; a \\u anywhere else cannot be valid SPARQL and is refused, so an engine that expanded
escapes everywhere could not see a keyword this scan missed.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from ..errors import BadRequest, Forbidden

# Brackets of any kind ( [ { open at once. pyoxigraph's parser recurses per level and its
# process dies (SIGSEGV) a little past 2,000 nested parentheses; real queries stay far below.
MAX_NESTING = 256

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*+\"\"\"
              | '''(?:[^'\\]|\\.|'(?!''))*+'''
              | "(?:[^"\\\n\r]|\\.)*+"
              | '(?:[^'\\\n\r]|\\.)*+')
  | (?P<unterminated>["'])
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*+>)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]++)
  | (?P<name>[^\W\d_][\w.\-\u00B7]*+)(?P<local>:(?:[\w:%\-.\u00B7]|\\[_~.\-!$&'()*+,;=/?\#@%])*+)?
  | (?P<emptyprefix>:(?:[\w:%\-.\u00B7]|\\[_~.\-!$&'()*+,;=/?\#@%])*+)
  | (?P<number>[0-9]++)
  | (?P<open>[(\[{])
  | (?P<close>[)\]}])
  | (?P<escape>\\[uU])
  | (?P<other>[^\s\#"'<?$\w:(\[{)\]}\\]+|.)
""", re.VERBOSE | re.DOTALL)

_KIND = {"name": "word", "local": "pname", "emptyprefix": "pname"}
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(iri: str) -> str:
    def one(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return m.group(0)       # not a character: the engine leaves it, and so do we
        return chr(code)

    return _CODEPOINT.sub(one, iri)


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    return f"line {line}, column {pos - (text.rfind(chr(10), 0, pos) + 1) + 1}"


def service_endpoints(query: str) -> list[str]:
    """The SERVICE targets of the query, as absolute IRIs ('?name' for a variable).

    Raises BadRequest for text no SPARQL parser accepts that would hide something from this
    scan (an unterminated string, a \\u escape outside strings and IRIs) and for nesting
    deeper than MAX_NESTING.
    """
    prefixes: dict[str, str] = {}
    base: str | None = None
    found: list[str] = []
    depth = 0
    state = None          # what the next significant token means: "service", "prefix", ...
    pending = ""          # a PREFIX's name, waiting for its IRI
    for m in _TOKEN.finditer(query):
        kind = _KIND.get(m.lastgroup, m.lastgroup)
        if kind in ("space", "comment", "string", "number"):
            continue
        text = m.group()
        if kind == "unterminated":
            raise BadRequest(f"the query has an unterminated string at {_where(query, m.start())}")
        if kind == "escape":
            raise BadRequest(f"a \\u escape outside a string or an IRI, at "
                             f"{_where(query, m.start())}, is not SPARQL")
        if kind == "open":
            depth += 1
            if depth > MAX_NESTING:
                raise BadRequest(f"the query nests brackets more than {MAX_NESTING} deep "
                                 f"(at {_where(query, m.start())}); flatten it")
        elif kind == "close":
            depth = max(0, depth - 1)
        if kind == "iri":
            iri = _unescape(text[1:-1])
            resolved = iri if _SCHEME.match(iri) or not base else urljoin(base, iri)
            if state == "base":
                base = resolved
            elif state == "prefix-iri":
                prefixes[pending] = resolved
            elif state == "service":
                found.append(resolved)
            state = None
            continue
        if state == "service":
            if kind == "word" and text.upper() == "SILENT":
                continue
            if kind == "var":
                found.append("?" + text[1:])
            elif kind == "pname":
                name, _, local = re.sub(r"(?<!\\)\.+$", "", text).partition(":")
                if name not in prefixes:
                    raise BadRequest(f"SERVICE {text} uses the undeclared prefix '{name}:'")
                found.append(prefixes[name] + re.sub(r"\\(.)", r"\1", local))
            state = None
            continue
        if state == "prefix" and kind == "pname" and text.find(":") == len(text) - 1:
            pending, state = text[:-1], "prefix-iri"
            continue
        state = None
        if kind == "word":
            keyword = text.upper()
            if keyword == "SERVICE":
                state = "service"
            elif keyword == "PREFIX":
                state = "prefix"
            elif keyword == "BASE":
                state = "base"
    return found


def check_service(query: str, allowlist: tuple[str, ...]) -> None:
    for endpoint in service_endpoints(query):
        if endpoint not in allowlist:
            raise Forbidden(f"SERVICE <{endpoint}> is refused: federated queries may only call "
                            f"endpoints on this server's allow-list "
                            f"({', '.join(allowlist) or 'empty'})")
