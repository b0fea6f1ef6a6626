"""What a public query may do, read with the one lexer of sparql_text: SERVICE targets in full
(prefixed names, BASE), never a keyword inside a comment, string, IRI or language tag."""

from __future__ import annotations

import time

import pytest

from memorial_graph.errors import BadRequest, Forbidden
from memorial_graph.web.query_policy import MAX_NESTING, check_service, service_endpoints

E = "http://127.0.0.1:9/sparql"


@pytest.mark.parametrize("query,targets", [
    (f"SELECT * {{ SERVICE <{E}> {{ ?s ?p ?o }} }}", [E]),
    (f"SELECT * {{ SERVICE SILENT <{E}> {{ ?s ?p ?o }} }}", [E]),
    ("PREFIX h: <http://127.0.0.1:9/> SELECT * { SERVICE h:sparql { ?s ?p ?o } }", [E]),
    ("BASE <http://127.0.0.1:9/x> SELECT * { SERVICE <sparql> { ?s ?p ?o } }", [E]),
    ("SELECT * { SERVICE ?where { ?s ?p ?o } }", ["?where"]),
    ("SELECT * { <http://127.0.0.1:9/\\u0073parql> ?p ?o }", []),
    ("SELECT * { SERVICE <http://127.0.0.1:9/\\u0073parql> { ?s ?p ?o } }", [E]),
    ("# SERVICE <http://evil/>\nSELECT * { ?s ?p 'SERVICE <http://evil/>' }", []),
    ('SELECT * { ?s ?p """SERVICE <http://evil/>""" , "x"@service }', []),
    ("PREFIX service: <http://x/> SELECT * { ?s service:p ?service }", []),
])
def test_service_targets(query, targets):
    assert list(service_endpoints(query)) == targets


def test_only_allow_listed_endpoints_pass():
    check_service(f"SELECT * {{ SERVICE <{E}> {{ ?s ?p ?o }} }}", (E,))
    with pytest.raises(Forbidden):
        check_service("SELECT * { SERVICE <http://evil/sparql> { ?s ?p ?o } }", (E,))


@pytest.mark.parametrize("query", [
    "SELECT * { SERVICE e:x { ?s ?p ?o } }",              # an undeclared prefix
    "SELECT * { ?s ?p 'unterminated SERVICE <http://evil/> }",
    "SELECT * { \\u0053ERVICE <http://evil/> { ?s ?p ?o } }",
    "SELECT * { " + "(" * (MAX_NESTING + 1) + "1" + ")" * (MAX_NESTING + 1) + " }",
])
def test_text_that_would_hide_something_is_refused(query):
    with pytest.raises(BadRequest):
        service_endpoints(query)


def test_a_hundred_patterns_and_a_long_query_are_read_in_linear_time():
    hundred = "SELECT * { " + " ".join(f"?s{i} ?p ?o{i} ." for i in range(100)) + \
        f" SERVICE <{E}> {{ ?a ?b ?c }} }}"
    assert list(service_endpoints(hundred)) == [E]
    for unit in ("<a ", "'''\" ", "\"\"\" '", "?x < ?y ", "p:x ", "#SERVICE\n", "SERVICE "):
        text = "SELECT * { " + unit * 100_000
        started = time.perf_counter()
        try:
            service_endpoints(text)
        except BadRequest:
            pass
        assert time.perf_counter() - started < 2.0, unit
