"""Issue 8: "the 'no release yet' message four times". Before the first build, every command
and the web tier say the same thing, and the command line exits 3 (nothing built yet)."""

from __future__ import annotations

import pytest

from memorial_graph.cli import main
from memorial_graph.config import Config
from memorial_graph.web import create_app
from tests.conftest import copy_project

MESSAGE = "no release has been built yet: run `memorial-graph build`"


@pytest.mark.parametrize("command", [["query", "ASK {}"], ["export"], ["stats"], ["serve"],
                                     ["serve", "--get", "/health"], ["publish", "--to",
                                                                     "http://127.0.0.1:9/query"]])
def test_every_command_says_the_same_before_the_first_build(tmp_path, capsys, command):
    project = copy_project(tmp_path / "project")
    code = main(["--project", str(project), "-q", *command])
    _out, err = capsys.readouterr()
    assert code == 3 and MESSAGE in err


def test_the_web_tier_says_it_too(tmp_path):
    project = copy_project(tmp_path / "project")
    response = create_app(Config.for_project(project)).test_client().get(
        "/health", headers={"Accept": "application/json"})
    assert response.status_code == 503 and MESSAGE in response.get_json()["error"]
