"""Issue 10, item 16: 'entity parameters accept a short id or a full IRI'."""

from __future__ import annotations

from memorial_graph.cli import main
from tests.conftest import MONUMENT, iri

JSON = {"Accept": "application/sparql-results+json"}


def test_a_short_id_answers_as_its_full_iri(client):
    by_iri = client.get(f"/queries/claims-about-entity?entity={iri(MONUMENT)}", headers=JSON)
    by_id = client.get(f"/queries/claims-about-entity?entity={MONUMENT}", headers=JSON)
    assert by_id.status_code == 200, by_id.data
    assert by_id.json == by_iri.json and by_id.json["results"]["bindings"]


def test_the_cli_takes_a_short_id_too(capsys, config):
    code = main(["--project", str(config.project_dir), "-q", "query", "names-by-source",
                 "--param", f"entity={MONUMENT}", "--format", "csv"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Ana harayı" in out


def test_a_value_that_is_neither_is_refused(client):
    r = client.get("/queries/claims-about-entity?entity=Ana harayı", headers=JSON)
    assert r.status_code == 400
    assert "identifier" in r.get_data(as_text=True)
