"""Found by the W3C syntax test `syntax-select-expr-04.rq`: a valid query calling a function the
engine does not have was answered `400` "the query could not be evaluated", i.e. reported to the
client as a malformed query. A well-formed query that fails while it is evaluated is a `500`
(SPARQL 1.1 Protocol 2.1.5: "500 if the service fails to execute the query"; Oxigraph's own
server answers the same), and the message says the query is well-formed. A malformed one stays
a `400`."""

from __future__ import annotations

import pytest
from SPARQLWrapper import JSON, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, QueryBadFormed

UNKNOWN_FUNCTION = "SELECT ?x WHERE { BIND(<http://example/function>(1) AS ?x) }"


def client(live: str, query: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(f"{live}/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(JSON)
    sparql.setTimeout(20)
    return sparql


def test_an_evaluation_error_is_not_a_malformed_query(live):
    with pytest.raises(EndPointInternalError) as info:
        client(live, UNKNOWN_FUNCTION).query()
    message = str(info.value)
    assert "well-formed but could not be evaluated" in message
    assert "http://example/function" in message


def test_a_malformed_query_is_still_a_400(live):
    with pytest.raises(QueryBadFormed) as info:
        client(live, "SELECT ?x WHERE { ?x }").query()
    assert "malformed query" in str(info.value)
