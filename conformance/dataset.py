"""One N-Quads file holding every test's data, so one server answers every test.

Each data file becomes a named graph named by the file's IRI (for the protocol suite: by the
graph name its manifest gives). Its blank nodes are relabelled with a per-file prefix, so two
files never share a blank node, even when both use `_:a`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .manifest import path_of

EMPTY_GRAPH = "urn:x-conformance:empty"   # a graph that is never loaded: an empty default graph


@dataclass
class Combined:
    path: Path
    graphs: dict[str, str] = field(default_factory=dict)   # graph name -> source file IRI
    errors: dict[str, str] = field(default_factory=dict)   # file IRI -> parse error
    quads: int = 0


def _relabel(term, prefix: str):
    if isinstance(term, ox.BlankNode):
        return ox.BlankNode(f"{prefix}{term.value}")
    if isinstance(term, ox.Triple):
        return ox.Triple(_relabel(term.subject, prefix), term.predicate,
                         _relabel(term.object, prefix))
    return term


def build(sources: list[tuple[str, str]], out: Path) -> Combined:
    """`sources`: (file IRI, graph name) pairs. Writes `out` (N-Quads)."""
    combined = Combined(out)
    quads = []
    for index, (iri, graph) in enumerate(sorted(set(sources))):
        if graph in combined.graphs:
            continue
        path = path_of(iri)
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip("."))
        if fmt is None:
            combined.errors[iri] = f"unknown RDF format for {path.name}"
            continue
        try:
            triples = list(ox.parse(path=str(path), format=fmt, base_iri=iri))
        except (SyntaxError, ValueError, OSError) as exc:
            combined.errors[iri] = str(exc)
            continue
        combined.graphs[graph] = iri
        name = ox.NamedNode(graph)
        prefix = f"f{index}x"
        for t in triples:
            quads.append(ox.Quad(_relabel(t.subject, prefix), t.predicate,
                                 _relabel(t.object, prefix), name))
    ox.serialize(quads, str(out), ox.RdfFormat.N_QUADS)
    combined.quads = len(quads)
    return combined
