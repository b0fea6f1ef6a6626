"""Issue 10, item 15: '`stats` explains that a claim citing two sources counts for both.'
The claims per source add up to more than the claims; the output says why, with the numbers."""

from __future__ import annotations

import re

from memorial_graph.cli import main

SEVERAL_SOURCES = """
PREFIX crm: <http://www.cidoc-crm.org/cidoc-crm/>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT (COUNT(*) AS ?n) WHERE {
  { SELECT ?claim WHERE { ?claim crm:P16_used_specific_object/oa:hasSource ?source }
    GROUP BY ?claim HAVING (COUNT(DISTINCT ?source) > 1) } }
"""


def test_stats_say_a_claim_citing_two_sources_counts_for_both(capsys, config, store):
    assert main(["--project", str(config.project_dir), "-q", "stats"]) == 0
    out = capsys.readouterr().out
    claims = int(re.search(r"^Claims: (\d+)", out, re.M).group(1))
    per_source = sum(int(n) for n in re.findall(r"^\s+(\d+)\s+.*<https://", out, re.M))
    several = int(store.select(SEVERAL_SOURCES)[0]["n"].value)
    assert per_source > claims and several > 0
    assert "a claim citing two sources counts for both" in out
    assert f"{several} claims cite more than one source" in out
