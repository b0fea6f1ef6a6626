"""A claim whose citation lists the same paragraph twice (`paragraph: [1, 1]`, an easy slip)
was published with a content hash that nobody could recompute: the build hashed the repeated
triple twice, while the claim's served document (a set of triples, as RDF always is) holds it
once. A scholar following docs/citing.md to verify the cited claim got another hash."""

from __future__ import annotations

import pyoxigraph as ox

from memorial_graph.build import build
from memorial_graph.config import Config
from memorial_graph.content_hash import HASH_PROPERTY, claim_hash
from memorial_graph.web import create_app
from tests.conftest import iri

CLAIM = "q2tjfc3"     # "Khojaly tragedy", citing paragraph 1 of the news report


def test_a_claim_citing_a_paragraph_twice_verifies_from_its_document(project):
    events = project / "data" / "entities" / "events.yaml"
    text = events.read_text(encoding="utf-8")
    cited = "sources: [{source: y53qgkk, paragraph: 1}]"
    assert cited in text
    events.write_text(text.replace(cited, "sources: [{source: y53qgkk, paragraph: [1, 1]}]", 1),
                      encoding="utf-8")
    config = Config.for_project(project)
    build(config)
    response = create_app(config).test_client().get(f"/doc/{CLAIM}.nt")
    assert response.status_code == 200
    triples = list(ox.parse(response.data, format=ox.RdfFormat.N_TRIPLES))
    published = [t.object.value for t in triples
                 if t.subject.value == iri(CLAIM) and t.predicate.value == HASH_PROPERTY]
    assert len(published) == 1
    assert claim_hash(triples, iri(CLAIM)) == published[0]
