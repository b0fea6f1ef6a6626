"""Entity documents: the entity's shortcut triples and every claim about it with its evidence
and sources, gathered by the CONSTRUCT parts of queries/entity-document.rq, in any RDF format."""

from __future__ import annotations

import re
from functools import cache

import pyoxigraph as ox

from .. import namespaces as ns
from ..formats import JSONLD_DEFAULT_FORM
from ..formats import serialize as serialize_as
from ..queries import load
from ..uris import Uris


@cache
def document_parts() -> tuple[str, ...]:
    """The CONSTRUCT queries whose merged results make an entity's document."""
    prologue, *parts = re.split(r"(?m)^#%%.*\n", load("entity-document"))
    prefixes = "".join(line + "\n" for line in prologue.splitlines() if line.startswith("PREFIX"))
    return tuple(prefixes + part for part in parts)


def document_triples(store, iri: str) -> list[ox.Triple]:
    """The entity's document: shortcut triples, every claim with evidence and sources."""
    binding = {ox.Variable("entity"): ox.NamedNode(iri)}
    triples: set[ox.Triple] = set()
    for part in document_parts():
        triples.update(store.construct(part, binding))
    return sorted(triples, key=str)


def serialize(triples: list[ox.Triple], fmt: str, uris: Uris, jsonld_form: str = "") -> bytes:
    """Triples in the named RDF format, with the project's prefixes (and `id:` for ours);
    JSON-LD in `jsonld_form` (compacted when empty), with them as its @context."""
    return serialize_as(triples, fmt, dict(ns.PREFIXES, id=uris.entity("")),
                        jsonld_form or JSONLD_DEFAULT_FORM)
