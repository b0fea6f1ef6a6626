"""Found while making the query processes hold small releases in memory (issue 9): a web worker
that had switched to a new release sent its query to a query service still on the release
before (the service looks at most once a second, then loads the new one aside), and the
answer, read from the old release, was kept and labelled as the new release's: its ETag, and
its kept copy served to everyone asking the same GET for the rest of that release's life.

Every job now names the release the web worker answers for, and a query process that holds
another one reads that release's store from disk."""

from __future__ import annotations

import json
import time
import urllib.parse

from memorial_graph.build import build
from memorial_graph.config import IN_MEMORY_UP_TO, Config
from memorial_graph.web import create_app
from tests.conftest import copy_project

NOTE = "a note added for the second release"
ASK = f'ASK {{ ?s ?p ?note FILTER (STR(?note) = "{NOTE}") }}'


def test_an_answer_comes_from_the_release_it_is_labelled_with(tmp_path):
    project = copy_project(tmp_path / "project")
    config = Config.for_project(project, in_memory_up_to=IN_MEMORY_UP_TO)
    first = build(config)
    client = create_app(config).test_client()
    url = f"/sparql?{urllib.parse.urlencode({'query': ASK})}"
    headers = {"Accept": "application/sparql-results+json"}
    assert json.loads(client.get(url, headers=headers).data)["boolean"] is False

    events = project / "data" / "entities" / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace(
        "The night of 25 to 26 February 1992.", NOTE), encoding="utf-8")
    second = build(config)
    time.sleep(1.1)                          # both the worker and the service look again
    assert client.get("/health").get_json()["release"] == second.id != first.id
    answer = client.get(url, headers=headers)
    assert json.loads(answer.data)["boolean"] is True
    again = client.get(url, headers=headers)          # the kept answer, for this release
    assert json.loads(again.data)["boolean"] is True and again.headers["ETag"] == \
        answer.headers["ETag"]
