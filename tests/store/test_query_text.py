"""Reading a query's text in the store layer: its dataset clause, its WHERE group, and where
bound values go (linear in the query's length; comments, strings and IRIs skipped)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from memorial_graph.store.base import declares_dataset, where_group_start
from memorial_graph.store.remote import query_form, with_values


@pytest.mark.parametrize("query,declared", [
    ("SELECT * FROM <g> {}", True),
    ("select * from named <g> {}", True),
    ("SELECT * {}", False),
    ("# from\nSELECT * {}", False),
    ('SELECT * { ?s ?p "FROM" }', False),
    ('SELECT * { ?s ?p """a "FROM" b""" }', False),
    ("SELECT * { ?s <http://example.org/from> ?o }", False),
    ("SELECT ?from {}", False),
    ("PREFIX from: <x:>\nSELECT * { ?s from:p ?o }", False),
    ("SELECT * { FILTER(?a < 3 && ?b > 2) }", False),
])
def test_a_dataset_clause_is_found_only_in_the_query_s_code(query, declared):
    assert declares_dataset(query) is declared


def test_reading_is_linear_even_for_unterminated_strings():
    assert declares_dataset("SELECT * { " + '"' * 200_000) is False


@pytest.mark.parametrize("query,before", [
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE {"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT WHERE {"),
    ("ASK { ?s ?p ?o }", "ASK {"),
    ("PREFIX a: <x:{>\nCONSTRUCT {?s ?p ?o} WHERE { ?s ?p ?o }",
     "PREFIX a: <x:{>\nCONSTRUCT {?s ?p ?o} WHERE {"),
])
def test_the_where_group_is_found_after_a_construct_template(query, before):
    assert query[:where_group_start(query)] == before


def test_bound_values_go_where_every_engine_accepts_them():
    bound = {ox.Variable("s"): ox.NamedNode("http://example.org/a")}
    assert with_values("SELECT * { ?s ?p ?o }", bound).endswith(
        "VALUES (?s) { (<http://example.org/a>) }")
    constructed = with_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", bound)
    assert constructed.startswith("CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s)")
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"),
                      ox.Literal("x")))
    assert len(list(store.query(constructed))) == 1
    assert bool(store.query(with_values("ASK { ?s ?p ?o }", bound)))


def test_query_forms():
    assert query_form("PREFIX a: <x:>\n# c\nASK {}") == "ASK"
    assert query_form("construct where { ?s ?p ?o }") == "CONSTRUCT"
