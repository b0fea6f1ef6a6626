"""Every saved query parses, binds its parameters as values, and answers right on the collection."""

from __future__ import annotations

import pytest

from memorial_graph import saved_queries
from memorial_graph.errors import BadRequest
from tests.conftest import MASSACRE, MONUMENT, ROOT, SOURCE_GUIDE, SOURCE_NEWS, iri

SAVED = saved_queries.load_all(ROOT / "queries")
EXPECTED_NAMES = {
    "claims-about-entity", "source-claims", "disagreements", "figures-by-source",
    "monument-makers", "names-by-source", "claims-per-source", "label-search",
}


def run(store, name, **params):
    query = SAVED[name]
    return store.select(query.text, query.bind(params))


def test_the_saved_questions_exist_with_headers():
    assert EXPECTED_NAMES <= set(SAVED)
    for query in SAVED.values():
        assert query.title and query.title != query.name
        assert query.description
        assert {p.name for p in query.params} == set(query.example)


@pytest.mark.parametrize("name", sorted(SAVED))
def test_each_saved_query_runs_with_its_example(store, name):
    query = SAVED[name]
    rows = store.select(query.text, query.bind(query.example))
    assert rows, f"{name} returned nothing for its own example"


def test_claims_about_the_monument_carry_sources_and_paragraphs(store):
    rows = run(store, "claims-about-entity", entity=iri(MONUMENT))
    assert len({r["claim"].value for r in rows}) >= 20
    assert all("paragraph" in r and "source" in r for r in rows)
    assert {r["source"].value for r in rows} == {iri(SOURCE_GUIDE), iri(SOURCE_NEWS)}


def test_everything_the_news_report_says_is_in_its_own_paragraphs(store):
    rows = run(store, "source-claims", source=iri(SOURCE_NEWS))
    assert rows and all(1 <= int(p) <= 8 for r in rows for p in r["paragraphs"].value.split(", "))
    assert any(r.get("valueLabel") and r["valueLabel"].value == "106" for r in rows)
    assert len({r["claim"].value for r in rows}) == len(rows)   # one row per claim


def test_disagreements_show_the_two_accounts_of_the_regiment(store):
    rows = run(store, "disagreements")
    massacre = [r for r in rows if r["subject"].value == iri(MASSACRE)]
    assert any(r["property"].value.endswith("P11_had_participant") for r in massacre)
    for r in rows:
        assert r["sourcesA"].value != r["sourcesB"].value


def test_figures_by_source(store):
    rows = run(store, "figures-by-source")
    by_source = {}
    for r in rows:
        by_source.setdefault(r["source"].value, set()).add(int(r["count"].value))
    assert {613, 1000, 1275, 150, 8, 25, 130} <= by_source[iri(SOURCE_GUIDE)]
    assert {613, 106, 63, 70, 1275, 150, 8, 25, 130} <= by_source[iri(SOURCE_NEWS)]
    assert 1000 not in by_source[iri(SOURCE_NEWS)]


def test_monument_makers_and_their_relations(store):
    rows = run(store, "monument-makers", monument=iri(MONUMENT))
    assert {r["makerName"].value for r in rows} == {
        "Teymur Rustamov", "Aslan Rustamov", "Mahmud Rustamov"}
    relations = {(r["makerName"].value, r["relation"].value.rsplit("/", 1)[-1],
                  r["relativeName"].value) for r in rows if "relation" in r}
    assert ("Teymur Rustamov", "parent", "Aslan Rustamov") in relations
    assert ("Teymur Rustamov", "sibling", "Mahmud Rustamov") in relations


def test_names_by_source_and_language(store):
    rows = run(store, "names-by-source", entity=iri(MONUMENT))
    names = {(r["name"].value, r["language"].value) for r in rows}
    assert {("Ana harayı", "az"), ("Mother's Cry", "en"), ("Mother cry", "en")} <= names


def test_label_search_binds_text_as_a_literal_not_as_query_text(store):
    assert run(store, "label-search", text="khatai")
    # A value that would break out of a formatted query is just a string that matches nothing.
    assert run(store, "label-search", text='") } ; DROP ALL ; #') == []


def test_bad_parameters_are_refused_clearly():
    query = SAVED["claims-about-entity"]
    with pytest.raises(BadRequest, match="needs the parameter 'entity'"):
        query.bind({})
    with pytest.raises(BadRequest, match="absolute IRI"):
        query.bind({"entity": "> } DROP ALL"})
    with pytest.raises(BadRequest, match="no parameter"):
        query.bind({"entity": iri(MONUMENT), "other": "x"})
