"""Issue 10, item 14: 'The `disagreements` query shows the differing roles, not two identical
IRIs.' The two accounts of the regiment name the same unit in different roles; the answer says
what differs, in words a reader can compare."""

from __future__ import annotations

from memorial_graph import saved_queries
from tests.conftest import MASSACRE, ROOT, iri

SAVED = saved_queries.load_all(ROOT / "queries")


def test_the_regiment_s_two_roles_are_shown_side_by_side(store):
    rows = [r for r in store.select(SAVED["disagreements"].text)
            if r["subject"].value == iri(MASSACRE) and r["propertyLabel"].value == "participant"]
    assert len(rows) == 1
    row = {k: v.value for k, v in rows[0].items()}
    assert row["differsIn"] == "role"
    assert row["valueA"] == row["valueB"] == "366th Guards Motor Rifle Regiment"
    assert {row["roleA"], row["roleB"]} == {"encircled the town together with Armenian fighters",
                                            "gave support to the Armenian armed formations"}
    assert {row["sourcesA"], row["sourcesB"]} == {
        "Baku travel guide entry on the Khojaly memorial",
        "Caliber.Az report on the 34th Khojaly anniversary in Baku"}


def test_the_cli_table_shows_labels_and_roles(capsys, config):
    from memorial_graph.cli import main

    assert main(["--project", str(config.project_dir), "-q", "query", "disagreements"]) == 0
    out = capsys.readouterr().out
    assert "gave support to the Armenian armed formations" in out
    assert "366th Guards Motor Rifle Regiment" in out
