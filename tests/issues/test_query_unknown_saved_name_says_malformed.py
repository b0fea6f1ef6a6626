"""Issue 10, item 15: '`memorial-graph query nonexistent` says "malformed query: … expected
CONSTRUCT" — say there is no saved query by that name and list them.'"""

from __future__ import annotations

from memorial_graph import saved_queries
from memorial_graph.cli import main
from tests.conftest import ROOT


def run(capsys, config, *args) -> tuple[int, str, str]:
    code = main(["--project", str(config.project_dir), "-q", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_an_unknown_name_is_named_and_the_saved_queries_listed(capsys, config):
    code, out, err = run(capsys, config, "query", "nonexistent")
    assert code == 1 and out == ""
    assert "no saved query named 'nonexistent'" in err
    assert "malformed" not in err
    for name in saved_queries.load_all(ROOT / "queries"):
        assert name in err


def test_a_missing_rq_file_is_not_taken_for_sparql(capsys, config):
    code, _, err = run(capsys, config, "query", "nonexistent.rq")
    assert code == 1 and "no saved query named 'nonexistent'" in err and "malformed" not in err


def test_sparql_text_and_saved_names_still_run(capsys, config):
    assert run(capsys, config, "query", "ASK{}")[0] == 0
    assert run(capsys, config, "query", "claims-per-source")[0] == 0
    # a one-line query longer than any file name is SPARQL too, not an error
    assert run(capsys, config, "query", "ASK { ?s ?p ?o } #" + "x" * 300)[0] == 0
