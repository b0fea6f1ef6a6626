"""Where the remote backend puts bound values, and how it reads a query's form (the lexer
itself is tested in tests/test_sparql_text.py)."""

from __future__ import annotations

import pyoxigraph as ox

from memorial_graph.store.remote import _bind, query_form

BOUND = {ox.Variable("s"): ox.NamedNode("http://example.org/a")}


def _store() -> ox.Store:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"),
                      ox.Literal("x")))
    store.add(ox.Quad(ox.NamedNode("http://example.org/b"), ox.NamedNode("http://example.org/p"),
                      ox.Literal("y")))
    return store


def test_bound_values_open_the_where_clause_of_every_form_after_a_construct_template():
    constructed = _bind("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", BOUND)
    assert constructed.startswith("CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s)")
    assert _bind("ASK { ?s ?p ?o }", BOUND).startswith("ASK { VALUES (?s)")
    store = _store()
    assert len(list(store.query(constructed))) == 1
    assert bool(store.query(_bind("ASK { ?s ?p 'x' }", BOUND)))
    assert not bool(store.query(_bind("ASK { ?s ?p 'y' }", BOUND)))


def test_bound_values_are_seen_by_bind_and_filter():
    query = "SELECT ?o WHERE { ?s ?p ?o FILTER (?s = <http://example.org/a>) }"
    rows = list(_store().query(_bind(query, BOUND)))
    assert [r["o"].value for r in rows] == ["x"]


def test_query_forms():
    assert query_form("PREFIX a: <x:>\n# c\nASK {}") == "ASK"
    assert query_form("BASE <http://h/sparql>\nconstruct where { ?s ?p ?o }") == "CONSTRUCT"
    assert query_form("SELECT * {}") == "SELECT"
