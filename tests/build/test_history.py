"""Claim hashes, changelogs and the history of releases (build/history.py, content_hash.py)."""

from __future__ import annotations

import json

import pyoxigraph as ox

from memorial_graph.build import build
from memorial_graph.build.compile import Record
from memorial_graph.build.history import changelog
from memorial_graph.cli import main
from memorial_graph.config import Config
from memorial_graph.content_hash import HASH_PROPERTY, claim_hash
from memorial_graph.release import current, kept
from tests.conftest import MASSACRE, SOURCE_GUIDE


def test_every_published_claim_hash_recomputes_from_the_parsed_dataset(release):
    quads = list(ox.parse(path=str(release.artifact("dataset.nq")), format=ox.RdfFormat.N_QUADS))
    published = {q.subject.value: q.object.value for q in quads if q.predicate.value == HASH_PROPERTY}
    claims = {q.subject.value for q in quads
              if q.predicate.value.endswith("22-rdf-syntax-ns#type")
              and q.object == ox.NamedNode("https://w3id.org/memorial-graph/ontology#Claim")}
    assert claims and published.keys() == claims
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    for claim in claims:
        assert claim_hash(triples, claim) == published[claim], claim


def test_the_first_release_starts_the_history(release):
    changes = release.changes()
    assert release.predecessor is None and release.sequence == 1
    assert len(changes["claims"]["added"]) == release.manifest["claims"]
    assert changes["claims"]["changed"] == changes["claims"]["withdrawn"] == []
    assert changes["retired"] == ["r49adst"] and changes["documents"]["delete"] == ["r49adst"]


def _record(kind, ident, digest, face="", mentions=()):
    return Record(kind, ident, digest, face or digest, tuple(mentions))


def test_a_note_edit_updates_only_the_document_of_its_subject():
    before = {"e1": _record("entity", "e1", "a", "f1", ["s1", "e2"]),
              "e2": _record("entity", "e2", "b", "f2"),
              "s1": _record("source", "s1", "c"),
              "c1": _record("claim", "c1", "h1", "face1", ["e1", "s1", "e2"])}
    after = dict(before, c1=_record("claim", "c1", "h2", "face1", ["e1", "s1", "e2"]),
                 e1=_record("entity", "e1", "a2", "f1", ["s1", "e2"]))
    changes = changelog(before, after, [], [])
    assert changes["claims"]["changed"] == ["c1"]
    assert changes["documents"]["update"] == ["e1"]


def test_a_renamed_entity_updates_every_document_that_shows_its_name():
    before = {"e1": _record("entity", "e1", "a", "name1"),
              "e2": _record("entity", "e2", "b", "f2", ["e1"]),
              "e3": _record("entity", "e3", "c", "f3")}
    after = dict(before, e1=_record("entity", "e1", "a2", "name2"))
    changes = changelog(before, after, [], ["old1"])
    assert changes["documents"]["update"] == ["e1", "e2"]
    assert changes["documents"]["delete"] == ["old1"] and changes["retired"] == ["old1"]


def test_two_builds_chain_and_prune_keeps_what_it_is_told(project, capsys):
    config = Config.for_project(project)
    first = build(config)
    target = project / "data" / "sources.yaml"
    target.write_text(target.read_text(encoding="utf-8").replace(
        "Travel-guide entry on the memorial", "Travel-guide entry about the memorial"),
        encoding="utf-8")
    second = build(config)
    assert second.predecessor == first.id and second.sequence == 2
    changes = second.changes()
    assert changes["entities"]["changed"] == [SOURCE_GUIDE]
    assert MASSACRE in changes["documents"]["update"]      # it cites the guide
    history = second.artifact("history.nq").read_text(encoding="utf-8")
    assert first.artifact("history.nq").read_text(encoding="utf-8") in history
    assert main(["--project", str(project), "releases", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in listed] == [first.id, second.id] and listed[1]["current"]
    assert main(["--project", str(project), "prune", "--keep", "1"]) == 0
    assert [r.id for r in kept(config.var_dir)] == [second.id] == [current(config.var_dir).id]
