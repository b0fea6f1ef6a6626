"""Issue 10, item 4: "Digest header: `Digest: sha-256=<hex>` — RFC 3230/9530 use base64. Send
`Repr-Digest` (RFC 9530, `sha-256=:…:`) on dumps and documents." The value must be the SHA-256
of the whole representation, base64 between colons (an RFC 8941 byte sequence)."""

from __future__ import annotations

import base64
import hashlib
import re
import urllib.request

import pytest

from tests.conftest import MONUMENT

VALUE = re.compile(r"^sha-256=:([A-Za-z0-9+/]+={0,2}):$")


def fetch(url: str, headers: dict | None = None):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=20) as r:
        return r.status, r.headers, r.read()


def digest_of(headers) -> bytes:
    assert headers.get("Digest") is None
    match = VALUE.match(headers["Repr-Digest"])
    assert match, headers["Repr-Digest"]
    return base64.b64decode(match.group(1))


@pytest.mark.parametrize("name", ["dataset.nq.gz", "dataset.trig.gz", "SHA256SUMS"])
def test_dumps_carry_repr_digest(live, name):
    _status, headers, body = fetch(f"{live}/dumps/{name}")
    if name == "SHA256SUMS":     # the checksum file lists the others, not itself
        assert "Repr-Digest" not in headers
        return
    assert digest_of(headers) == hashlib.sha256(body).digest()


def test_a_range_of_a_dump_carries_the_digest_of_the_whole(live):
    _s, whole_headers, whole = fetch(f"{live}/dumps/dataset.nq.gz")
    status, headers, part = fetch(f"{live}/dumps/dataset.nq.gz", {"Range": "bytes=0-99"})
    assert status == 206 and len(part) == 100
    assert digest_of(headers) == hashlib.sha256(whole).digest()


@pytest.mark.parametrize("path,accept", [
    (f"/doc/{MONUMENT}", "text/turtle"),
    (f"/doc/{MONUMENT}.jsonld", "*/*"),
    (f"/doc/{MONUMENT}", "text/html"),
    ("/ontology.ttl", "*/*"),
])
def test_documents_carry_repr_digest(live, path, accept):
    _status, headers, body = fetch(live + path, {"Accept": accept})
    assert digest_of(headers) == hashlib.sha256(body).digest()
