"""Defect: a saved query's kept answer was kept by its `format` or `output` parameter only,
though `results` asks for a format too (the SPARQL endpoint reads all three). After
`/queries/claims-about-entity?entity=…&results=csv`, the same query with `results=tsv` was
answered with the CSV kept for the first (`Content-Type: text/csv`)."""

from __future__ import annotations

import urllib.parse
import urllib.request

import pytest

from tests.conftest import MONUMENT
from tests.server import running_server


@pytest.fixture(scope="module")
def server(config):
    # One web worker: answers are kept per worker.
    with running_server(config.project_dir, workers=1) as base:
        yield base


def media_type(base: str, **params: str) -> str:
    url = f"{base}/queries/claims-about-entity?" + urllib.parse.urlencode(
        {"entity": MONUMENT, **params})
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        return response.headers["Content-Type"].split(";")[0]


def test_each_format_parameter_gets_its_own_answer(server):
    assert media_type(server, results="csv") == "text/csv"
    assert media_type(server, results="tsv") == "text/tab-separated-values"
    assert media_type(server, results="csv") == "text/csv"
