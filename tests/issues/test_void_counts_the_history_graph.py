"""Seen by a harvester comparing the VoID description with the dump it names: `/void` said
`void:triples 3322` and `void:distinctSubjects 782` while its `void:dataDump`
(`dataset.nq.gz`, the same as `/dumps/dataset.nq`) holds 2,644 quads and 605 subjects, and
it listed class partitions for `as:Create`, `mg:ClaimAdded`, `dcat:Dataset` … that no triple
of the dump has. The counts were taken over the whole store, which also holds the history
graph (every release and change so far), served as a separate file (`history.nq`) and not
part of the dataset the description and its dumps describe."""

from __future__ import annotations

import pyoxigraph as ox

VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DATASET = ox.NamedNode("https://w3id.org/memorial-graph/void#dataset")


def _void(client) -> list[ox.Triple]:
    response = client.get("/void", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    return list(ox.parse(response.data, format=ox.RdfFormat.N_TRIPLES))


def _count(void: list[ox.Triple], subject, prop: str) -> int:
    (value,) = [t.object.value for t in void if t.subject == subject and t.predicate.value == VOID + prop]
    return int(value)


def test_void_counts_what_its_dump_holds(client):
    void = _void(client)
    (dump,) = [t.object.value for t in void if t.subject == DATASET
               and t.predicate.value == VOID + "dataDump" and t.object.value.endswith("dataset.nq.gz")]
    assert dump.endswith("/dumps/dataset.nq.gz")
    quads = list(ox.parse(client.get("/dumps/dataset.nq").data, format=ox.RdfFormat.N_QUADS))
    assert _count(void, DATASET, "triples") == len(quads)
    assert _count(void, DATASET, "distinctSubjects") == len({q.subject for q in quads})
    assert _count(void, DATASET, "properties") == len({q.predicate for q in quads})
    typed: dict = {}
    for q in quads:
        if q.predicate.value == RDF_TYPE:
            typed.setdefault(q.object, set()).add(q.subject)
    partitions = [t.object for t in void if t.subject == DATASET
                  and t.predicate.value == VOID + "classPartition"]
    by_class = {next(t.object for t in void if t.subject == p and t.predicate.value == VOID + "class"):
                _count(void, p, "entities") for p in partitions}
    assert by_class == {cls: len(members) for cls, members in typed.items()}
