"""The build: the collection compiles, validates, releases atomically and deterministically."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from memorial_graph.build import build
from memorial_graph.config import Config
from memorial_graph.errors import DataError, InconsistentOntology, ValidationFailed
from memorial_graph.release import current
from memorial_graph.store import EmbeddedStore
from tests.conftest import MASSACRE, MONUMENT, RETIRED, iri

EVERY_CLAIM_CITED = """
PREFIX mg: <https://w3id.org/memorial-graph/ontology#>
PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT (COUNT(DISTINCT ?claim) AS ?all) (COUNT(DISTINCT ?cited) AS ?cited) WHERE {
  ?claim a mg:Claim .
  FILTER NOT EXISTS { ?claim a mg:EditorsLabel }   # a label the editors give cites no source
  OPTIONAL {
    ?claim crm:P16_used_specific_object ?e . ?e oa:hasSource ?s ; mg:paragraph ?p .
    ?s a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* mg:Source .
    BIND (?claim AS ?cited)
  }
}"""


def test_release_has_every_artifact_with_checksums(release):
    names = {"dataset.nq", "dataset.trig", "dataset.ttl", "dataset.jsonld", "dataset.nq.gz",
             "dataset.trig.gz", "SHA256SUMS", "manifest.json"}
    assert names <= {p.name for p in release.path.iterdir()}
    sums = dict(line.split("  ")[::-1] for line in
                release.artifact("SHA256SUMS").read_text().splitlines())
    from memorial_graph.build.artifacts import sha256
    for name, digest in sums.items():
        assert sha256(release.artifact(name)) == digest


def test_every_source_claim_has_evidence_with_source_and_paragraph(store):
    row = store.select(EVERY_CLAIM_CITED)[0]
    total, cited = int(row["all"].value), int(row["cited"].value)
    assert 80 <= total <= 150
    assert cited == total


def test_figures_that_agree_are_one_claim_with_two_sources(store):
    rows = store.select("""
        PREFIX mg: <https://w3id.org/memorial-graph/ontology#>
        PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?event ?claim (COUNT(DISTINCT ?src) AS ?n) WHERE {
          ?claim crm:P140_assigned_attribute_to ?event ;
                 crm:P177_assigned_property_of_type mg:numberKilled ;
                 crm:P141_assigned/crm:P90_has_value 613 ;
                 crm:P16_used_specific_object/oa:hasSource ?src .
        } GROUP BY ?event ?claim""", {ox.Variable("event"): ox.NamedNode(iri(MASSACRE))})
    assert len(rows) == 1 and int(rows[0]["n"].value) == 2


def test_sub_counts_are_attributed_to_the_one_source_that_gives_them(store):
    rows = store.select("""
        PREFIX mg: <https://w3id.org/memorial-graph/ontology#>
        PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?value ?src WHERE {
          ?claim crm:P177_assigned_property_of_type mg:numberKilled ; mg:appliesTo ?part ;
                 crm:P141_assigned/crm:P90_has_value ?value ;
                 crm:P16_used_specific_object/oa:hasSource ?src .
        }""")
    assert sorted(int(r["value"].value) for r in rows) == [63, 70, 106]
    assert len({r["src"].value for r in rows}) == 1


def test_shortcut_layer_is_present(store):
    assert store.ask(
        "ASK { ?m <http://www.w3.org/2004/02/skos/core#prefLabel> \"Ana harayı\"@az ; "
        "<https://schema.org/creator> ?maker }",
        None) is True
    assert store.ask(f"ASK {{ <{iri(MONUMENT)}> <https://w3id.org/memorial-graph/ontology"
                     f"#commemorates> <{iri(MASSACRE)}> }}")


def test_output_is_deterministic(config, release, tmp_path):
    again = build(config.with_(var_dir=tmp_path / "var"))
    assert again.artifact("dataset.nq").read_bytes() == release.artifact("dataset.nq").read_bytes()
    assert again.manifest["content_sha256"] == release.manifest["content_sha256"]


def _prime(project: Path) -> tuple[Config, str]:
    config = Config.for_project(project)
    first = build(config)
    return config, first.id


def test_malformed_file_names_file_and_line_and_previous_release_survives(project):
    config, first_id = _prime(project)
    target = project / "data" / "entities" / "people.yaml"
    lines = target.read_text(encoding="utf-8").splitlines()
    lines[9] = lines[9] + "  : : broken ["
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        build(config)
    assert "data/entities/people.yaml:10" in str(info.value)
    survivor = current(config.var_dir)
    assert survivor.id == first_id
    store = EmbeddedStore.open_release(survivor)
    assert store.ask(f"ASK {{ <{iri(MONUMENT)}> ?p ?o }}")


@pytest.mark.parametrize("validator", ["fast", "pyshacl"])
def test_validation_failure_names_the_record_and_changes_nothing(project, validator):
    config, first_id = _prime(project)
    config = dataclasses.replace(config, validator=validator)
    target = project / "data" / "entities" / "places.yaml"
    text = target.read_text(encoding="utf-8")
    # Drop the sources of the first claim in the file: an uncited claim.
    text = text.replace("        sources: [{source: ra5wd27, paragraph: 1}, "
                        "{source: y53qgkk, paragraph: 1}]\n", "", 1)
    target.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        build(config)
    message = str(info.value)
    assert "data/entities/places.yaml:7" in message
    assert "cite at least one source" in message
    assert current(config.var_dir).id == first_id


def test_duplicate_identifier_is_refused(project):
    target = project / "data" / "entities" / "concepts.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text + "  - id: " + MONUMENT + "\n    type: PopulationCategory\n",
                      encoding="utf-8")
    with pytest.raises(DataError) as info:
        build(Config.for_project(project))
    message = str(info.value)
    assert f"identifier '{MONUMENT}' is already used" in message
    assert "data/entities/monuments.yaml:3" in message
    assert "data/entities/concepts.yaml:27" in message


def test_a_malformed_source_url_names_its_record_and_changes_nothing(project):
    config, first_id = _prime(project)
    target = project / "data" / "sources.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("url: https://bakutravelguide.com/khojaly-genocide-memorial/",
                                   "url: https://bakutravelguide.com/khojaly genocide/", 1),
                      encoding="utf-8")
    with pytest.raises(DataError) as info:
        build(config)
    message = str(info.value)
    assert "data/sources.yaml:" in message and "'url' is not a valid IRI" in message
    assert current(config.var_dir).id == first_id
    assert not [p for p in (config.var_dir / "releases").iterdir() if p.name.startswith(".tmp")]


def test_retired_identifier_cannot_be_reused(project):
    target = project / "data" / "entities" / "concepts.yaml"
    target.write_text(target.read_text(encoding="utf-8")
                      + f"  - id: {RETIRED}\n    type: PopulationCategory\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        build(Config.for_project(project))
    assert f"identifier '{RETIRED}' was retired at data/retired.yaml" in str(info.value)


def test_hermit_catches_an_inconsistent_collection(project):
    # applies_to must name a population category; naming a person contradicts the ontology
    # (mg:appliesTo's range, and persons are disjoint from population categories). SHACL has
    # no rule for this, so only the OWL gate can refuse it.
    target = project / "data" / "entities" / "events.yaml"
    text = target.read_text(encoding="utf-8")
    assert "applies_to: c" in text or "applies_to:" in text
    lines = text.splitlines()
    index = next(i for i, ln in enumerate(lines) if ln.strip().startswith("applies_to:"))
    lines[index] = "        applies_to: y2ajnkg  # Teymur Rustamov, a person"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = Config.for_project(project)
    with pytest.raises(InconsistentOntology):
        build(config)
    assert current(config.var_dir) is None


def test_current_link_is_swapped_not_rewritten(project):
    config, first_id = _prime(project)
    link = config.var_dir / "current"
    assert link.is_symlink()
    assert os.readlink(link) == f"releases/{first_id}"


def test_newcomer_adds_a_source_and_a_claim_and_queries_it(project, capsys):
    """The path docs/authoring.md describes: new source, new cited claim, build, query."""
    from memorial_graph.cli import main

    (project / "data" / "sources.yaml").write_text(
        (project / "data" / "sources.yaml").read_text(encoding="utf-8") + """
  - id: k7w3p2q
    type: Article
    title: "An archivist's test report"
    url: https://example.org/report
    language: en
    published: 2026-03
    paragraphs: 4
""", encoding="utf-8")
    (project / "data" / "entities" / "extra.yaml").write_text("""
entities:
  - id: x9d4k2m
    type: Person
    claims:
      - id: m2v7k9c
        property: skos:prefLabel
        name: "Test Person"
        lang: en
        sources: [{source: k7w3p2q, paragraph: 2}]
""", encoding="utf-8")
    assert main(["--project", str(project), "-q", "build"]) == 0
    capsys.readouterr()
    assert main(["--project", str(project), "-q", "query", "names-by-source", "--param",
                 f"entity={iri('x9d4k2m')}"]) == 0
    out = capsys.readouterr().out
    assert "Test Person" in out and iri("k7w3p2q") in out
