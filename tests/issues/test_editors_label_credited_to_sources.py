"""Issue 10, item 12: 'A label made by the project is credited to sources: the commemoration's
preferred name is noted "a descriptive label given by the project" yet shown "According to"
both sources. The model distinguishes names a source uses (claims with evidence) from labels
the editors give (attributed to the collection's editors, no evidence); pages say which.
SHACL enforces it.'"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from memorial_graph.build import build
from memorial_graph.config import Config
from memorial_graph.errors import DataError
from tests.conftest import iri
from tests.issues.conftest import claim_block, page, text

COMMEMORATION, ITS_NAME = "jyfszk2", "e6p4y9x"
CRM = rdflib.Namespace("http://www.cidoc-crm.org/cidoc-crm/")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
MG = rdflib.Namespace("https://w3id.org/memorial-graph/ontology#")
# The preferred names data/entities/*.yaml noted as "a descriptive label given by the project".
THE_PROJECT_S_LABELS = ("jhms3tt", "r5tpnf7", "ysyx98z", "szm36ht", "t4jkv8d", "sxgtbnm",
                        "spbrd5h", "z7bbdf7", "e6p4y9x", "rf85e6t")


def test_the_page_says_the_editors_gave_the_label_not_a_source(client):
    name = text(claim_block(page(client, COMMEMORATION), ITS_NAME))
    assert "label given by the editors of this collection" in name
    assert "According to" not in name


def test_names_a_source_uses_are_still_credited_to_it(client):
    name = text(claim_block(page(client, "pfft2yk"), "mvrb6zm"))   # "Ana harayı"
    assert "According to" in name and "editors" not in name


def test_the_document_attributes_the_label_to_the_editors_and_cites_nothing(client):
    graph = rdflib.Graph().parse(data=client.get(f"/doc/{COMMEMORATION}.ttl").data, format="turtle")
    claim = rdflib.URIRef(iri(ITS_NAME))
    assert (claim, CRM.P16_used_specific_object, None) not in graph
    editors = graph.value(claim, PROV.wasAttributedTo)
    assert editors is not None and (editors, rdflib.RDF.type, MG.Editors) in graph
    assert (claim, rdflib.RDF.type, MG.EditorsLabel) in graph


def test_every_label_the_project_gave_is_the_editors_and_cites_no_source(store):
    query = """
        PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?claim ?editors (COUNT(?evidence) AS ?citations) WHERE {
          ?claim prov:wasAttributedTo ?editors .
          OPTIONAL { ?claim crm:P16_used_specific_object ?evidence } } GROUP BY ?claim ?editors"""
    for ident in THE_PROJECT_S_LABELS:
        rows = store.select(query, {ox.Variable("claim"): ox.NamedNode(iri(ident))})
        assert len(rows) == 1 and rows[0]["citations"].value == "0", ident


def _with_claim(project, old: str, new: str) -> Config:
    events = project / "data" / "entities" / "events.yaml"
    source = events.read_text(encoding="utf-8")
    assert old in source
    events.write_text(source.replace(old, new, 1), encoding="utf-8")
    return Config.for_project(project)


AN_EDITORS_LABEL_CITING_A_SOURCE = """\
      - id: k2w9xqz
        property: skos:altLabel
        name: "Khojaly commemoration in Baku"
        lang: en
        given_by: editors
        sources: [{source: ra5wd27, paragraph: 11}]
"""


def test_shacl_refuses_an_editors_label_that_cites_a_source(project):
    anchor = "      - id: kbj9kmx\n"
    config = _with_claim(project, anchor, AN_EDITORS_LABEL_CITING_A_SOURCE + anchor)
    with pytest.raises(DataError) as refused:
        build(config)
    assert "label the editors give cites no source" in str(refused.value)
    assert "data/entities/events.yaml:" in str(refused.value)


def test_shacl_still_refuses_a_source_claim_without_sources(project):
    config = _with_claim(project, "        unit: year\n        sources: [{source: y53qgkk, paragraph: 1}]\n",
                         "        unit: year\n")
    with pytest.raises(DataError) as refused:
        build(config)
    assert "must cite at least one source" in str(refused.value)
