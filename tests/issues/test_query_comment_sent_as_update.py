"""Found while making publishing switch by graph name (issue 13): over a remote store, a query
whose comments hold an update keyword ("# load …", "# insert …") was sent as an update and
refused. SPARQLWrapper guesses the form from the first keyword it finds; its comment filter
skips every second line of a run of comments. Oxigraph answered 400 "The URL query parameter
query must be set", and the public endpoint said the query was malformed.

Checked on the real server over a real Oxigraph and a real Virtuoso.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from tests.server import running_publisher

QUERY = """# Which names do sources give?
# (load them all, then insert nothing: these are only words in a comment)
# drop us a line if one is missing
SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?name }
"""


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def server(built, request):
    config, _release = built
    with running_publisher(config.project_dir, request.param) as base:
        yield base


def test_a_query_with_update_words_in_its_comments_is_answered(server, store):
    body = urllib.parse.urlencode({"query": QUERY}).encode()
    request = urllib.request.Request(server + "/sparql", data=body, headers={
        "Accept": "application/sparql-results+json",
        "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=30) as response:
        answer = json.load(response)
    expected = store.select(QUERY)[0]["n"].value
    assert answer["results"]["bindings"][0]["n"]["value"] == expected
