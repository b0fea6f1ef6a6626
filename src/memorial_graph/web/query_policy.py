"""Checks a query must pass before it runs on the public endpoint: no SERVICE call to an
endpoint that is not allow-listed (so no outbound connection is ever attempted for it)."""

from __future__ import annotations

import re

from ..errors import BadRequest, Forbidden

_SUSPECT = re.compile(r"service|\\u|\\U", re.IGNORECASE)


def service_endpoints(query: str) -> list[str] | None:
    """SERVICE targets in the query (IRIs, or '?var' for a variable), or None if there can be
    none. Uses rdflib's SPARQL parser, which also expands \\u escapes, only when the text
    could hide a SERVICE keyword."""
    if not _SUSPECT.search(query):
        return None
    from rdflib.plugins.sparql import parser
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import Variable

    try:
        tree = parser.parseQuery(query)
    except Exception as exc:  # noqa: BLE001 - any parse failure means we cannot vouch for it
        raise BadRequest(f"the query mentions SERVICE or uses escapes, and could not be "
                         f"checked: {exc}") from exc
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                term = node.get("term")
                found.append(f"?{term}" if isinstance(term, Variable) else str(term))
            for value in node.values():
                walk(value)
        elif isinstance(node, (list, tuple)) or hasattr(node, "asList"):
            for value in node:
                walk(value)

    walk(tree)
    return found


def check_service(query: str, allowlist: tuple[str, ...]) -> None:
    for endpoint in service_endpoints(query) or []:
        if endpoint not in allowlist:
            raise Forbidden(f"SERVICE <{endpoint}> is refused: federated queries may only call "
                            f"endpoints on this server's allow-list "
                            f"({', '.join(allowlist) or 'empty'})")
