"""Past releases through Flask's test client: three builds (an entity added, a note edited,
the entity withdrawn and its identifier retired)."""

from __future__ import annotations

import base64

import pytest
import rdflib

from memorial_graph.build import build
from memorial_graph.config import Config
from memorial_graph.web import create_app
from tests.conftest import MASSACRE, copy_project

EXTRA = "t3stq7x"
ENTITY = f"""  - id: {EXTRA}
    type: PopulationCategory
    claims:
      - id: t3stc1a
        property: skos:prefLabel
        name: "survivors"
        lang: en
        sources: [{{source: y53qgkk, paragraph: 5}}]
"""


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("releases"))
    config = Config.for_project(project)
    concepts = project / "data" / "entities" / "concepts.yaml"
    original = concepts.read_text(encoding="utf-8")
    concepts.write_text(original + ENTITY, encoding="utf-8")
    first = build(config)
    events = project / "data" / "entities" / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace(
        "The night of 25 to 26 February 1992.", "The night of 25 February 1992."), encoding="utf-8")
    second = build(config)
    concepts.write_text(original, encoding="utf-8")
    retired = project / "data" / "retired.yaml"
    retired.write_text(retired.read_text(encoding="utf-8")
                       + f"  - id: {EXTRA}\n    reason: Withdrawn again.\n    retired: 2026-12-01\n",
                       encoding="utf-8")
    third = build(config)
    return create_app(config).test_client(), (first, second, third)


def test_releases_are_listed_as_json_and_rdf_with_their_predecessors(releases):
    client, (first, second, third) = releases
    listed = client.get("/releases/", headers={"Accept": "application/json"}).json
    assert [r["id"] for r in listed["releases"]] == [third.id, second.id, first.id]
    assert [r["predecessor"] for r in listed["releases"]] == [second.id, first.id, None]
    assert listed["current"] == third.id
    graph = rdflib.Graph().parse(data=client.get("/releases/?format=ttl").data, format="turtle")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    base = "https://w3id.org/memorial-graph/releases/"
    assert (rdflib.URIRef(base + second.id), prov.wasRevisionOf, rdflib.URIRef(base + first.id)) in graph
    assert (rdflib.URIRef(base + first.id), rdflib.RDF.type,
            rdflib.URIRef("http://www.w3.org/ns/dcat#Dataset")) in graph


def test_a_retired_identifier_keeps_its_history(releases):
    client, (first, second, third) = releases
    gone = client.get(f"/doc/{EXTRA}", headers={"Accept": "text/plain"})
    assert gone.status_code == 410
    assert f"</timemap/{EXTRA}>; rel=\"timemap\"" in gone.headers["Link"]
    listed = client.get(f"/timemap/{EXTRA}.json").json["mementos"]["list"]
    assert [m["release"] for m in listed] == [first.id, second.id]
    memento = client.get(f"/releases/{first.id}/doc/{EXTRA}.ttl")
    assert memento.status_code == 200 and b"survivors" in memento.data
    assert memento.headers["Memento-Datetime"]
    assert client.get(f"/releases/{third.id}/doc/{EXTRA}").status_code == 410


def test_each_release_has_its_changelog(releases):
    client, (_first, second, third) = releases
    changes = client.get(f"/releases/{third.id}/changes?format=json").json
    assert changes["entities"]["withdrawn"] == [EXTRA] and changes["retired"] == [EXTRA]
    assert changes["documents"]["delete"] == [EXTRA]
    assert client.get(f"/releases/{second.id}/changes?format=json").json["documents"]["update"] \
        == [MASSACRE]
    page = client.get(f"/releases/{third.id}/changes", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert f'href="/releases/{second.id}/doc/{EXTRA}"'.encode() in page.data   # as it was
    graph = rdflib.Graph().parse(data=client.get(f"/releases/{second.id}/changes.ttl").data,
                                 format="turtle")
    changed = rdflib.URIRef("https://w3id.org/memorial-graph/ontology#ClaimChanged")
    assert len(list(graph.subjects(rdflib.RDF.type, changed))) == 1


def test_a_past_release_serves_its_void_and_dumps_at_its_own_urls(releases):
    client, (first, _second, _third) = releases
    void = client.get(f"/releases/{first.id}/void", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=void.data, format="turtle")
    endpoints = {str(o) for o in graph.objects(None, rdflib.URIRef("http://rdfs.org/ns/void#sparqlEndpoint"))}
    assert endpoints == {f"http://localhost/releases/{first.id}/sparql"}
    files = client.get(f"/releases/{first.id}/dumps/", headers={"Accept": "application/json"}).json
    assert files["release"] == first.id
    nq = next(f for f in files["files"] if f["name"] == "dataset.nq.gz")
    assert nq["url"] == f"/releases/{first.id}/dumps/dataset.nq.gz"
    expected = base64.b64encode(bytes.fromhex(first.checksums["dataset.nq.gz"])).decode()
    assert client.get(nq["url"]).headers["Repr-Digest"] == f"sha-256=:{expected}:"


def test_the_timegate_refuses_a_malformed_datetime_and_unknown_releases_are_404(releases):
    client, _ = releases
    assert client.get(f"/timegate/{MASSACRE}", headers={"Accept-Datetime": "last year"}).status_code == 400
    assert client.get(f"/timegate/{MASSACRE}").headers["Location"].endswith(f"/doc/{MASSACRE}")
    assert client.get("/releases/20000101T000000Z-00000000/doc/" + MASSACRE).status_code == 404
