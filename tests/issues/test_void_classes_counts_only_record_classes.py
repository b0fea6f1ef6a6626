"""Seen by a harvester reading the VoID description: `/void` said `void:classes 16` beside
38 `void:classPartition`s, one per class its dump has instances of. VoID defines
`void:classes` as the number of distinct classes in the dataset (the distinct objects of
`rdf:type`); it counted only the classes of records (subclasses of `mg:Entity`), leaving
out claims, sources' passages, evidence and every other typed node."""

from __future__ import annotations

import pyoxigraph as ox

VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DATASET = "https://w3id.org/memorial-graph/void#dataset"


def test_void_classes_is_the_number_of_distinct_classes_of_the_dump(client):
    void = list(ox.parse(client.get("/void.nt").data, format=ox.RdfFormat.N_TRIPLES))
    (classes,) = [int(t.object.value) for t in void if t.subject.value == DATASET
                  and t.predicate.value == VOID + "classes"]
    partitions = [t for t in void if t.subject.value == DATASET
                  and t.predicate.value == VOID + "classPartition"]
    quads = ox.parse(client.get("/dumps/dataset.nq").data, format=ox.RdfFormat.N_QUADS)
    in_dump = {q.object for q in quads if q.predicate.value == RDF_TYPE}
    assert classes == len(in_dump) == len(partitions)
