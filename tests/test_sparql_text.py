"""Reading a query's text before it is parsed: does it name its own dataset?"""

from __future__ import annotations

import time

import pytest

from memorial_graph.sparql_text import (
    MEMO_CHARS,
    dataset_clause,
    expand_escapes,
    names_dataset,
    remembered,
    where_clause_starts,
    without_dataset_clause,
)


@pytest.mark.parametrize("query", [
    "SELECT * FROM <g> { ?s ?p ?o }",
    "select * from <g> where { ?s ?p ?o }",
    "PREFIX e: <http://e/> SELECT * FROM e:g { ?s ?p ?o }",
    "SELECT * FROM NAMED <g> { GRAPH ?g { ?s ?p ?o } }",
    "SELECT*FROM<g>{?s ?p ?o}",
    "CONSTRUCT { ?s ?p ?o } FROM <g> WHERE { ?s ?p ?o }",
    "CONSTRUCT FROM <g> WHERE { ?s ?p ?o }",
    "DESCRIBE <x> FROM <g>",
    "ASK FROM <g> { ?s ?p ?o }",
    "SELECT (EXISTS { ?a ?b ?c } AS ?e) FROM <g> { ?s ?p ?o }",
    "SELECT * FR\\u004FM <g> { ?s ?p ?o }",          # escapes are read first (SPARQL 19.2)
    "# a comment\nSELECT ?x # FROM\nFROM <g> { ?s ?p ?o }",
])
def test_dataset_clause_is_seen(query):
    assert names_dataset(query)


@pytest.mark.parametrize("query", [
    "SELECT * { ?s ?p ?o }",
    "# SELECT * FROM <g>\nSELECT * { ?s ?p ?o }",
    'SELECT * { ?s ?p "FROM <g>" }',
    "SELECT * { ?s ?p '''multi\nline FROM <g> ''' }",
    'SELECT * { ?s ?p """ FROM "" FROM """ }',
    "SELECT * { ?s <http://x/FROM> ?o }",
    "PREFIX from: <http://x/> SELECT * { ?s from:p ?from }",
    "PREFIX : <http://x/> SELECT * { ?s :from ?o . ?o :a\\#FROM ?z }",
    'SELECT * { ?s ?p "x"@from }',
    "SELECT * { ?s ?p ?o FILTER(?o < 3) } ORDER BY ?from",
    "SELECT * { { SELECT * { ?s ?p ?o } } }",
    'SELECT * { ?s ?p "unterminated FROM <g> }',
])
def test_no_dataset_clause(query):
    assert not names_dataset(query)


def test_reading_is_linear_in_the_query_length():
    # Inputs that make a backtracking reader quadratic: unclosed IRIs, strings, comments.
    for unit in ("<a ", "'''\" ", "\"\"\" '", "?x < ?y ", "from:x ", "#FROM\n"):
        text = "SELECT * FROM <g> { " + unit * 200_000
        started = time.perf_counter()
        names_dataset(text)
        assert time.perf_counter() - started < 2.0, unit


def test_escapes_expand():
    assert expand_escapes("\\u0046ROM \\U0001F600") == "FROM \U0001F600"


def test_dataset_clause_follows_the_projection_and_stops_at_the_where_clause():
    query = ("SELECT (COUNT(*) AS ?n) (EXISTS { ?a ?b ?c } AS ?e) FROM <http://g/1> "
             "WHERE { { SELECT * FROM <http://g/2> { ?s ?p ?o } } }")
    assert dataset_clause(query) == (["http://g/1"], [])


def test_dataset_clause_resolves_prefixes_and_relative_iris():
    query = "PREFIX e: <http://e/> SELECT * FROM e:g1 FROM NAMED <rel> FROM <http://x> { ?s ?p ?o }"
    assert dataset_clause(query, "http://host/sparql") == (["http://e/g1", "http://x"],
                                                             ["http://host/rel"])


@pytest.mark.parametrize("query,before", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT * WHERE {"),
    ("SELECT * { ?s ?p ?o }", "SELECT * {"),
    ("SELECT (EXISTS { ?a ?b ?c } AS ?e) WHERE { ?s ?p ?o }", "SELECT (EXISTS { ?a ?b ?c } AS ?e) WHERE {"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE {"),
    ("CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } {"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT WHERE {"),
    ("PREFIX x: <http://x/{}> ASK { ?s ?p '{' }", "PREFIX x: <http://x/{}> ASK {"),
    ("# { SELECT\nSELECT * FROM <g> { ?s ?p ?o }", "# { SELECT\nSELECT * FROM <g> {"),
])
def test_where_clause_start(query, before):
    assert where_clause_starts(query) == [len(before)]


def test_subqueries_have_their_own():
    query = "SELECT * WHERE { { SELECT ?x WHERE { ?x ?p ?o } } ?x ?q ?z }"
    assert where_clause_starts(query) == [query.index("{") + 1, query.index("WHERE { ?x") + 7]


def test_no_where_clause():
    assert where_clause_starts("DESCRIBE <x>") == []


def test_graph_iris_are_found_after_graph_from_and_named_in_full():
    from memorial_graph.sparql_text import graph_iris

    query = ("PREFIX g: <http://x/graph/> SELECT * FROM <http://x/graph/a> FROM NAMED g:b "
             "WHERE { GRAPH <http://x/graph/c> { ?s ?p <http://x/graph/d> } GRAPH ?g {} "
             "# GRAPH <http://x/graph/e>\n ?s ?p 'GRAPH <http://x/graph/f>' }")
    found = graph_iris(query)
    assert [iri for _start, _end, iri in found] == ["http://x/graph/a", "http://x/graph/b",
                                                   "http://x/graph/c"]
    assert [query[start:end] for start, end, _iri in found] == [
        "<http://x/graph/a>", "g:b", "<http://x/graph/c>"]



def test_what_a_text_says_is_worked_out_once_per_recent_text_and_failures_every_time():
    reads = []

    @remembered
    def form(text: str) -> str:
        reads.append(text)
        if "bad" in text:
            raise ValueError(text)
        return text.split()[0]

    assert [form("ASK {}"), form("ASK {}"), form("SELECT * {}")] == ["ASK", "ASK", "SELECT"]
    assert reads == ["ASK {}", "SELECT * {}"]
    for _ in range(2):
        with pytest.raises(ValueError):
            form("bad")
    assert reads.count("bad") == 2
    long = "ASK {} " + " " * MEMO_CHARS          # too long to keep: read each time
    assert form(long) == form(long) == "ASK" and reads.count(long) == 2


def test_a_query_without_its_dataset_clause_keeps_everything_else():
    query = ('PREFIX e: <http://e/>\nSELECT ?g FROM e:a FROM NAMED <http://e/b>\n'
             'WHERE { GRAPH ?g { ?s ?p "FROM <http://e/c>" } }')
    text = without_dataset_clause(query)
    assert dataset_clause(text) == ([], [])
    assert 'GRAPH ?g { ?s ?p "FROM <http://e/c>" }' in text and "PREFIX e: <http://e/>" in text
