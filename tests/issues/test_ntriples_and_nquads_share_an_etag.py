"""Seen by a client revalidating a document: `/doc/{id}.nt` and `/doc/{id}.nq` (and `.ttl`
and `.trig`) have the same bytes, since N-Quads and TriG hold the document's triples in the
default graph, and they were sent with the same strong ETag. So a client that had kept the
N-Triples and asked `/doc/{id}` for N-Quads with `If-None-Match` was told `304 Not
Modified`, and went on using a body it holds as `application/n-triples`; a cache cannot
tell the two representations of the one negotiated resource apart (RFC 9110 section 8.8.3:
a strong ETag names one representation)."""

from __future__ import annotations

import pytest

from tests.conftest import MONUMENT


@pytest.mark.parametrize("kept, asked", [("nt", "application/n-quads"),
                                         ("ttl", "application/trig")])
def test_a_representation_in_another_format_has_another_etag(client, kept, asked):
    held = client.get(f"/doc/{MONUMENT}.{kept}")
    assert held.status_code == 200
    again = client.get(f"/doc/{MONUMENT}", headers={"Accept": asked,
                                                   "If-None-Match": held.headers["ETag"]})
    assert again.status_code == 200
    assert again.mimetype == asked
    assert again.headers["ETag"] != held.headers["ETag"]


def test_the_same_representation_still_revalidates(client):
    held = client.get(f"/doc/{MONUMENT}.nq")
    again = client.get(f"/doc/{MONUMENT}", headers={"Accept": "application/n-quads",
                                                   "If-None-Match": held.headers["ETag"]})
    assert again.status_code == 304
