"""Seen by a client revalidating a kept query answer: a CONSTRUCT asked of `/sparql` as
N-Triples and again, by `Accept`, as N-Quads has the same bytes both times (its triples are
in the default graph), and both were sent with the same strong ETag. So the client holding
the N-Triples that asked for N-Quads with `If-None-Match` was answered `304 Not Modified`
for a representation it never received."""

from __future__ import annotations

from urllib.parse import quote

QUERY = quote("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3")


def test_a_construct_answer_in_another_format_has_another_etag(client):
    held = client.get(f"/sparql?query={QUERY}", headers={"Accept": "application/n-triples"})
    assert held.status_code == 200 and held.mimetype == "application/n-triples"
    again = client.get(f"/sparql?query={QUERY}", headers={
        "Accept": "application/n-quads", "If-None-Match": held.headers["ETag"]})
    assert again.status_code == 200
    assert again.mimetype == "application/n-quads"
    assert again.headers["ETag"] != held.headers["ETag"]
    same = client.get(f"/sparql?query={QUERY}", headers={
        "Accept": "application/n-quads", "If-None-Match": again.headers["ETag"]})
    assert same.status_code == 304
