"""Content hashes of claims (trusty-URI style): anyone can recompute one from a served document.

The canonical form of a set of triples is each triple in N-Triples as pyoxigraph writes it
(`str(triple)`: canonical escapes, no prefixes), followed by " .\\n", the lines sorted by code
point and encoded as UTF-8. Its hash is the SHA-256 of that, as 64 lower-case hex digits.

A claim's hash covers the claim's own triples and those of its own nodes (`<claim>#value`,
`#valid`, `#ev1`, `#ev1-selector`, ...: its value, qualifier and evidence nodes), except the
`mg:contentHash` triple that publishes it. The compiler computes it from the text it writes
(`terms.py` escapes exactly as pyoxigraph does); `claim_hash` recomputes it from parsed
triples, as a reader verifying a cited claim would.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pyoxigraph as ox

from . import namespaces as ns

HASH_PROPERTY = ns.MG + "contentHash"


def digest(lines: Iterable[str]) -> str:
    """SHA-256 of N-Triples lines (each without its final " ."), in canonical order. A set of
    triples holds each once: a line written twice (a paragraph cited twice) counts once, as
    in the document a reader recomputes the hash from."""
    return hashlib.sha256("".join([line + " .\n" for line in sorted(set(lines))])
                          .encode("utf-8")).hexdigest()


def is_part_of(subject: str, claim: str) -> bool:
    """Whether a subject IRI is the claim itself or one of its own nodes."""
    return subject == claim or subject.startswith(claim + "#")


def claim_triples(triples: Iterable[ox.Triple], claim: str) -> list[ox.Triple]:
    """The triples a claim's hash covers, picked from any set that holds them (a document)."""
    return [t for t in triples
            if isinstance(t.subject, ox.NamedNode) and is_part_of(t.subject.value, claim)
            and t.predicate.value != HASH_PROPERTY]


def claim_hash(triples: Iterable[ox.Triple], claim: str) -> str:
    """Recompute a claim's content hash from triples holding it (e.g. its document)."""
    return digest(str(ox.Triple(t.subject, t.predicate, t.object))
                  for t in claim_triples(triples, claim))
