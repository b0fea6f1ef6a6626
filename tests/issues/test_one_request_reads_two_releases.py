"""Found in review: a view asks the site for its snapshot several times in one request (the
kept answer for its ETag and Last-Modified, the query job for the release it names, the
headers for the Link and signposting), and the site looks at var/current again once a second.
A request that ran as a new release became current read one release for some of its answer
and the other for the rest: an answer computed on the new release, kept and sent under the
previous release's ETag, a page whose data and citation named different releases.

Each request sees the snapshot it first asks for, throughout."""

from __future__ import annotations

from flask import g

from memorial_graph.build import build
from memorial_graph.config import Config
from memorial_graph.web import create_app
from tests.conftest import copy_project
from tests.releases import another_release, site_clock


def test_a_request_sees_one_release_from_start_to_end(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "project")
    config = Config.for_project(project)
    first = build(config)
    clock = site_clock(monkeypatch)
    app = create_app(config)
    app.test_client().get("/health")            # the site has opened the first release

    with app.test_request_context("/health"):
        app.preprocess_request()
        seen = [g.site.snapshot().version]
        # A second release becomes current while the request runs.
        ident = another_release(config, first, "second")
        clock[0] += 2.0
        seen.append(g.site.snapshot().version)

    assert seen == [first.id, first.id]
    # The next request sees the new release.
    assert app.test_client().get("/health").get_json()["release"] == ident
