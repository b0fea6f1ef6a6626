"""Issue 11: "only the current release is served, so a page cited last year cannot be shown as
it was, and 'cite this' names a release that no URL serves."

The versioned URL a page's citation names resolves, after a later build, to the document as
the cited release served it, and the release it names has its own page."""

from __future__ import annotations

import re

from memorial_graph.build import build
from memorial_graph.config import Config
from memorial_graph.web import create_app
from tests.conftest import MASSACRE


def test_the_cited_version_is_still_served_after_the_next_build(project):
    config = Config.for_project(project)
    first = build(config)
    client = create_app(config).test_client()
    page = client.get(f"/doc/{MASSACRE}", headers={"Accept": "text/html"}).data.decode()
    cited = re.search(r'This version: <a href="([^"]+)"', page).group(1)
    assert first.id in cited
    before = client.get(f"/doc/{MASSACRE}.ttl").data

    events = project / "data" / "entities" / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace(
        "The night of 25 to 26 February 1992.", "The night of 25 February 1992."), encoding="utf-8")
    build(config)
    client = create_app(config).test_client()
    assert client.get(f"/doc/{MASSACRE}.ttl").data != before
    shown = client.get(cited, headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert shown.status_code == 200 and shown.data == before
    assert client.get(f"/releases/{first.id}/").status_code == 200
