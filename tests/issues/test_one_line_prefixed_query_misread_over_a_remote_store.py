"""Found in review: over a remote store, a query written on one line with its PREFIX before
the form (`PREFIX skos: <…> ASK { … }`, as typed at a shell or sent by many clients) was taken
for a SELECT. The form was read with a pattern that skipped PREFIX / BASE declarations only
when each ended its line. Over Virtuoso, such an ASK was answered with a table of one
`__ASK_RETVAL` column instead of true or false, and such a CONSTRUCT failed (its answer asked
for as SPARQL JSON, which it is not), while the same query over the embedded store, or
written on two lines, was answered.

Checked on the public endpoint of the app over a real Virtuoso.
"""

from __future__ import annotations

import pytest

from memorial_graph.build.publish import publish
from memorial_graph.store.remote import query_form
from memorial_graph.web import create_app
from tests.conftest import MONUMENT, iri
from tests.server import VIRTUOSO_DBA, running_virtuoso

SKOS = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>"
ASK = f"{SKOS} ASK {{ <{iri(MONUMENT)}> skos:prefLabel ?name }}"
CONSTRUCT = (f"{SKOS} CONSTRUCT {{ <{iri(MONUMENT)}> skos:prefLabel ?name }} "
             f"WHERE {{ <{iri(MONUMENT)}> skos:prefLabel ?name }}")


@pytest.fixture(scope="module")
def client(config, tmp_path_factory):
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as base:
        publish(config, f"{base}/sparql", f"{base}/sparql-auth", VIRTUOSO_DBA, "digest")
        yield create_app(config.with_(store_url=f"{base}/sparql")).test_client()


def test_the_form_is_read_after_declarations_on_the_same_line():
    assert query_form(ASK) == "ASK"
    assert query_form(CONSTRUCT) == "CONSTRUCT"
    assert query_form(f"BASE <http://h/> {SKOS} DESCRIBE <x>") == "DESCRIBE"


def test_a_one_line_ask_is_answered_true(client):
    response = client.get("/sparql", query_string={"query": ASK},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.data
    assert response.get_json()["boolean"] is True


def test_a_one_line_construct_is_answered_with_the_graph(client):
    response = client.get("/sparql", query_string={"query": CONSTRUCT},
                          headers={"Accept": "application/n-triples"})
    assert response.status_code == 200, response.data
    assert '"Ana harayı"@az' in response.get_data(as_text=True)
