"""Checks a query must pass before it runs on the public endpoint: no SERVICE call to an
endpoint that is not allow-listed (so no outbound connection is ever attempted for it), and no
nesting deeper than the engine can take.

One pass of the lexer of `sparql_text` over the text, linear in its length: "service" in a
comment, a string or an IRI is not mistaken for the keyword, and a SERVICE IRI written as a
prefixed name is compared in full (expanded with the query's PREFIX declarations; an IRI
resolved against BASE). The engine (pyoxigraph 0.5.13) reads \\u escapes only inside strings
and IRIs; a \\u anywhere else cannot be valid SPARQL and is refused, so an engine that expanded
escapes everywhere could not see a keyword this scan missed.
"""

from __future__ import annotations

from ..errors import BadRequest, Forbidden
from ..sparql_text import Prologue, remembered, tokens

# Brackets of any kind ( [ { open at once. pyoxigraph's parser recurses per level and its
# process dies (SIGSEGV) a little past 2,000 nested parentheses; real queries stay far below.
MAX_NESTING = 256
_IGNORED = frozenset(("space", "comment", "string", "number", "lang"))


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    return f"line {line}, column {pos - (text.rfind(chr(10), 0, pos) + 1) + 1}"


@remembered
def service_endpoints(query: str) -> tuple[str, ...]:
    """The SERVICE targets of the query, as absolute IRIs ('?name' for a variable).

    Raises BadRequest for text no SPARQL parser accepts that would hide something from this
    scan (an unterminated string, a \\u escape outside strings and IRIs) and for nesting
    deeper than MAX_NESTING.
    """
    prologue = Prologue()
    found: list[str] = []
    depth = 0
    service = False       # the last significant token was SERVICE (or SERVICE SILENT)
    for kind, m in tokens(query):
        if kind in _IGNORED:
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
        if service:
            if kind == "word" and text.upper() == "SILENT":
                continue
            service = False
            if kind == "var":
                found.append("?" + text[1:])
            elif kind in ("iri", "pname"):
                target = prologue.resolve(kind, text)
                if target is None:
                    name = text.partition(":")[0]
                    raise BadRequest(f"SERVICE {text} uses the undeclared prefix '{name}:'")
                found.append(target)
        prologue.see(kind, text)
        service = kind == "word" and text.upper() == "SERVICE"
    return tuple(found)


def check_service(query: str, allowlist: tuple[str, ...]) -> None:
    for endpoint in service_endpoints(query):
        if endpoint not in allowlist:
            raise Forbidden(f"SERVICE <{endpoint}> is refused: federated queries may only call "
                            f"endpoints on this server's allow-list "
                            f"({', '.join(allowlist) or 'empty'})")
