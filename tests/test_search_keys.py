"""Search keys: case and diacritics folded, in Python at build time and in label-search.rq."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from memorial_graph.saved_queries import load_all
from memorial_graph.search_keys import search_key
from tests.conftest import ROOT

SKOS = "http://www.w3.org/2004/02/skos/core#"
MG = "https://w3id.org/memorial-graph/ontology#"
CRM = "http://www.cidoc-crm.org/cidoc-crm/"


@pytest.mark.parametrize("name,key", [
    ("Ana harayı abidəsi", "ana harayi abidesi"),
    ("HARAYI", "harayi"),
    ("İsmayıllı", "ismayilli"),
    ("Şuşa, Gəncə, Çingiz, Ağdam, Göygöl, Üzümçü", "susa, gence, cingiz, agdam, goygol, uzumcu"),
    ("Ходжалинская трагедия", "ходжалинская трагедия"),
    ("Ёлка Йошкар-Ола", "елка иошкар-ола"),
    ("Cafe\u0301 Zoë", "cafe zoe"),
])
def test_search_key(name, key):
    assert search_key(name) == key


@pytest.mark.parametrize("name,text", [
    ("Ходжалинская трагедия", "ХОДЖАЛИНСКАЯ"),
    ("Ёлка", "елка"),
    ("Ёлка", "ЁЛКА"),
    ("Ağdam", "AGDAM"),
])
def test_label_search_finds_names_in_other_scripts(name, text):
    store = ox.Store()
    entity, value = ox.NamedNode("http://example.org/e"), ox.NamedNode("http://example.org/e#v")
    graph = ox.NamedNode("http://example.org/g")
    store.extend([
        ox.Quad(entity, ox.NamedNode(SKOS + "prefLabel"), ox.Literal(name, language="ru"), graph),
        ox.Quad(value, ox.NamedNode(CRM + "P190_has_symbolic_content"), ox.Literal(name, language="ru"), graph),
        ox.Quad(value, ox.NamedNode(MG + "searchKey"), ox.Literal(search_key(name)), graph),
    ])
    query = load_all(ROOT / "queries")["label-search"]
    rows = list(store.query(query.text, use_default_graph_as_union=True,
                            substitutions=query.bind({"text": text})))
    assert [row["name"].value for row in rows] == [name]
