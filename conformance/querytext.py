"""What the runner needs to know about a query's text, without an engine: whether its top
level orders the solutions, and which graphs its FROM / FROM NAMED clauses name."""

from __future__ import annotations

import re
from urllib.parse import urljoin

_LEXEMES = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|'
                      r"'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>|#[^\n]*")


def _top_level(query: str, keep_iris: bool) -> str:
    """The text at brace depth 0, strings and comments blanked (IRIs kept if asked)."""
    text = _LEXEMES.sub(lambda m: m.group(0) if keep_iris and m.group(0).startswith("<")
                        else " ", query)
    out, depth = [], 0
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def is_ordered(query: str) -> bool:
    """ORDER BY on the outermost query (a subquery's ORDER BY does not order the result)."""
    return re.search(r"\bORDER\s+BY\b", _top_level(query, False), re.IGNORECASE) is not None


def dataset_clauses(query: str) -> list[str]:
    """The FROM / FROM NAMED targets as written (<iri> or prefixed name); [] if none."""
    return re.findall(r"\bFROM\s+(?:NAMED\s+)?(<[^>]*>|[\w.-]*:[\w.-]*)",
                      _top_level(query, True), re.IGNORECASE)


def resolved_dataset(query: str, base: str) -> list[str]:
    """The graphs the query's FROM / FROM NAMED name with an IRI, resolved against its base
    (the query's own BASE declarations, resolved in turn against `base`)."""
    for declared in re.findall(r"\bBASE\s*<([^>]*)>", _top_level(query, True), re.IGNORECASE):
        base = urljoin(base, declared)
    return [urljoin(base, t[1:-1]) for t in dataset_clauses(query) if t.startswith("<")]
