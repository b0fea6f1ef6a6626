"""The command line: query, export, stats, validate, new-id (run in-process)."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import rdflib

from memorial_graph.cli import main
from tests.conftest import MONUMENT, iri


def run(capsys, config, *args) -> tuple[int, str, str]:
    code = main(["--project", str(config.project_dir), "-q", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_query_prints_a_table_and_machine_formats(capsys, config):
    q = "SELECT ?name WHERE { ?m <http://www.w3.org/2004/02/skos/core#prefLabel> ?name " \
        "FILTER(LANG(?name) = 'az') }"
    code, out, _ = run(capsys, config, "query", q)
    assert code == 0 and "Ana harayı" in out and "(1 row)" in out
    code, out, _ = run(capsys, config, "query", q, "--format", "json")
    assert json.loads(out)["results"]["bindings"][0]["name"]["value"] == "Ana harayı"
    code, out, _ = run(capsys, config, "query", q, "--format", "csv")
    assert list(csv.reader(io.StringIO(out)))[1] == ["Ana harayı"]
    code, out, _ = run(capsys, config, "query", q, "--format", "tsv")
    assert '"Ana harayı"@az' in out


def test_query_runs_a_saved_query_with_parameters(capsys, config):
    code, out, _ = run(capsys, config, "query", "names-by-source",
                       "--param", f"entity={iri(MONUMENT)}")
    assert code == 0 and "Mother cry" in out


def test_malformed_query_is_an_error_with_the_parser_message(capsys, config):
    code, _, err = run(capsys, config, "query", "SELECT WHERE {")
    assert code == 1 and "malformed query" in err and "1:" in err


def test_export_nquads_is_the_whole_cited_collection(capsys, config):
    code, out, _ = run(capsys, config, "export", "--format", "nquads")
    assert code == 0
    quads = list(ox.parse(out.encode(), format=ox.RdfFormat.N_QUADS))
    evidence = [q for q in quads if q.predicate.value.endswith("hasSource")]
    assert len(quads) > 2000 and len(evidence) > 150


def test_export_jsonld_parses(capsys, config):
    code, out, _ = run(capsys, config, "export", "--format", "jsonld")
    ds = rdflib.Dataset()
    ds.parse(data=out, format="json-ld")
    assert any(ds.quads((rdflib.URIRef(iri(MONUMENT)), None, None, None)))


def test_stats(capsys, config):
    code, out, _ = run(capsys, config, "stats")
    assert code == 0
    assert "Claims: 141" in out or "Claims:" in out
    assert "Claims per source:" in out and "where sources disagree: " in out


def test_validate_reports_conformance(capsys, config):
    code, out, _ = run(capsys, config, "validate")
    assert code == 0 and "conforms" in out and "HermiT: consistent" in out


def test_new_id_gives_fresh_opaque_identifiers(capsys, config):
    code, out, _ = run(capsys, config, "new-id", "-n", "5")
    ids = out.split()
    assert code == 0 and len(set(ids)) == 5 and all(len(i) == 7 for i in ids)


def test_query_before_any_build_says_so(capsys, tmp_path):
    code = main(["--project", str(tmp_path), "-q", "query", "ASK {}"])
    _, err = capsys.readouterr()
    assert code == 3 and "memorial-graph build" in err


def test_serve_get_runs_one_request_in_process(capsys, config):
    code, out, _ = run(capsys, config, "serve", "--get", f"/doc/{MONUMENT}.ttl")
    assert code == 0
    graph = rdflib.Graph().parse(data=out, format="turtle")
    assert (rdflib.URIRef(iri(MONUMENT)), None, None) in graph
    code, out, _ = run(capsys, config, "serve", "--get", "/sparql?query=ASK%7B%7D",
                       "--accept", "application/sparql-results+json", "--headers")
    assert code == 0 and out.startswith("HTTP/1.1 200 OK")
    assert "Content-Type: application/sparql-results+json" in out and '"boolean":true' in out


def test_serve_get_exits_1_when_the_request_fails(capsys, config):
    code, out, _ = run(capsys, config, "serve", "--get", "/doc/nosuchid", "--accept", "text/plain")
    assert code == 1 and "no resource 'nosuchid'" in out
