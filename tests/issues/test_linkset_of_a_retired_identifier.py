"""Seen by a FAIR Signposting harvester: `/linkset/{id}` of a retired identifier answered
`200` with a full linkset (`cite-as` the retired IRI, `describedby` its Turtle, JSON-LD, …
documents), where `/id/{id}` and `/doc/{id}` answer `410 Gone` naming its successor. The
harvester followed the linkset to documents that are gone and never learnt the successor."""

from __future__ import annotations

from tests.conftest import MONUMENT, RETIRED, iri


def test_the_linkset_of_a_retired_identifier_is_gone_and_names_its_successor(client):
    response = client.get(f"/linkset/{RETIRED}")
    assert response.status_code == 410
    assert f'<{iri(MONUMENT)}>; rel="successor-version"' in response.headers.get("Link", "")
    assert client.get(f"/doc/{RETIRED}").status_code == 410


def test_a_present_identifier_still_has_its_linkset(client):
    response = client.get(f"/linkset/{MONUMENT}")
    assert response.status_code == 200
    assert response.json["linkset"][0]["cite-as"] == [{"href": iri(MONUMENT)}]
    assert client.get("/linkset/zzzzzzz").status_code == 404
