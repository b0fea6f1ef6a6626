"""Seen in a full test run (tests/test_citable_across_versions.py failed once, passed alone):
the entity page under `/doc/{id}` and under `/releases/{current}/doc/{id}` share one kept
rendering per worker, and the page's "also as" links were those of whichever URL was asked
first. So two workers could serve the memento and the document with different bytes and
ETags. A page's body must read the same whichever of them rendered it."""

from __future__ import annotations

from memorial_graph.web import create_app
from tests.conftest import MASSACRE


def _pages(config, release_id: str, first: str) -> dict[str, bytes]:
    client = create_app(config).test_client()
    paths = {"doc": f"/doc/{MASSACRE}", "memento": f"/releases/{release_id}/doc/{MASSACRE}"}
    order = [first] + [name for name in paths if name != first]
    return {name: client.get(paths[name], headers={"Accept": "text/html"}).data
            for name in order}


def test_the_page_is_the_same_whichever_url_rendered_it_first(config, release):
    doc_first = _pages(config, release.id, "doc")
    memento_first = _pages(config, release.id, "memento")
    assert doc_first["doc"] == memento_first["doc"]
    assert doc_first["memento"] == memento_first["memento"] == doc_first["doc"]
