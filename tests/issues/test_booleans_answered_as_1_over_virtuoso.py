"""Found in review: over Virtuoso, every boolean in a SELECT answer came back as
`"1"^^xsd:boolean` (or `"0"`), where the collection says `"true"^^xsd:boolean`: a query for
the retired identifiers (`owl:deprecated`), the approximate claims (`mg:approximate`) or the
ontology's `mg:claimBacked` flags answered 1 in the results table, JSON, CSV and TSV, while
the same query over the embedded store or Oxigraph answered true (and documents, written
from CONSTRUCT answers, say true). Virtuoso 7.2 writes booleans as 0 and 1 in its SPARQL
results; they are read back as the booleans they are.

Checked on the public endpoint of the app over a real Virtuoso.
"""

from __future__ import annotations

import pytest

from memorial_graph.build.publish import publish
from memorial_graph.web import create_app
from tests.conftest import RETIRED, iri
from tests.server import VIRTUOSO_DBA, running_virtuoso

BOOLEANS = ("SELECT ?s ?p ?o WHERE { ?s ?p ?o "
            "FILTER (DATATYPE(?o) = <http://www.w3.org/2001/XMLSchema#boolean>) }")
DEPRECATED = f"SELECT ?v WHERE {{ <{iri(RETIRED)}> <http://www.w3.org/2002/07/owl#deprecated> ?v }}"


@pytest.fixture(scope="module")
def client(config, tmp_path_factory):
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as base:
        publish(config, f"{base}/sparql", f"{base}/sparql-auth", VIRTUOSO_DBA, "digest")
        yield create_app(config.with_(store_url=f"{base}/sparql")).test_client()


def test_booleans_in_select_answers_are_the_collection_s(client, store):
    response = client.get("/sparql", query_string={"query": BOOLEANS},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.data
    served = {(b["s"]["value"], b["p"]["value"], b["o"]["value"])
              for b in response.get_json()["results"]["bindings"]}
    expected = {(r["s"].value, r["p"].value, r["o"].value) for r in store.select(BOOLEANS)}
    assert expected and served == expected


def test_a_retired_identifier_is_deprecated_true_in_csv(client):
    response = client.get("/sparql", query_string={"query": DEPRECATED},
                          headers={"Accept": "text/csv"})
    assert response.status_code == 200, response.data
    assert response.get_data(as_text=True).split() == ["v", "true"]
